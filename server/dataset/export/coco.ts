// A built dataset as COCO instance segmentation: annotations.json beside images/ (copies of
// the dataset's images, names without their content hash).  Each region is one annotation whose
// mask is pycocotools' compressed RLE; each class (object, defect) is one category, its `name`
// the class's description, its `supercategory` the object and its `defect` the defect, so that
// building from the export gives the same regions, areas and descriptions.
import { encodeCounts, rleFromPixels } from '../../masks/rle';
import { errorMessage, type Problem } from '../../util/errors';
import type { Progress } from '../../util/progress';
import { TOOL_VERSION } from '../../util/version';
import type { ImageRecord } from '../format';
import type { OpenedDataset } from '../open';
import { SPLITS } from '../manifestText';
import { COCO_FILES } from '../readers/layouts';
import { copyInto, withoutContentHash, writeInto } from './files';
import { regionPixels } from './regionPixels';
import { resolveInsideReal } from '../../util/paths';

export interface WrittenExport {
  images: number;
  regions: number;
  categories: number;
  objects: string[];
  problems: Problem[];
}

interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  defect: string;
}

export async function writeCoco(dataset: string, opened: OpenedDataset, out: string, progress?: Progress, signal?: AbortSignal): Promise<WrittenExport> {
  const records: { split: string; record: ImageRecord }[] = SPLITS.flatMap((split) => opened.records[split].map((record) => ({ split, record })));
  const categories = new Map<string, CocoCategory>();
  const categoryOf = (object: string, defect: string, description: string): number => {
    const key = JSON.stringify([object, defect, description]);
    let category = categories.get(key);
    if (!category) {
      category = { id: categories.size + 1, name: description, supercategory: object, defect };
      categories.set(key, category);
    }
    return category.id;
  };
  const images: unknown[] = [];
  const annotations: unknown[] = [];
  const problems: Problem[] = [];
  progress?.start(records.length, 'export');
  for (const { split, record } of records) {
    signal?.throwIfAborted();
    const fileName = withoutContentHash(record.image);
    try {
      const regions = await Promise.all(record.regions.map((r) => regionPixels(dataset, r.mask)));
      await copyInto(resolveInsideReal(dataset, record.image), out, fileName);
      const imageId = images.length + 1;
      images.push({ id: imageId, file_name: fileName, width: record.width, height: record.height, split, object: record.object, defect: record.defect });
      record.regions.forEach((region, k) => {
        const { pixels, width, height } = regions[k];
        const counts = rleFromPixels(pixels, width, height);
        annotations.push({
          id: annotations.length + 1,
          image_id: imageId,
          category_id: categoryOf(record.object, region.defect, region.description),
          segmentation: { size: [height, width], counts: encodeCounts(counts) },
          area: pixels.length,
          bbox: region.bbox,
          iscrowd: 0,
        });
      });
    } catch (err) {
      problems.push({ file: record.image, message: `cannot export this image: ${errorMessage(err)}; left out`, severity: 'error' });
    }
    progress?.tick(1, record.object);
  }
  const coco = {
    info: { description: `${opened.manifest.objects.join(', ')}: regions and their descriptions`, version: TOOL_VERSION, contributor: 'anomaly-lens', date_created: new Date().toISOString() },
    licenses: [],
    images,
    annotations,
    categories: [...categories.values()],
  };
  await writeInto(out, COCO_FILES.plain, `${JSON.stringify(coco)}\n`);
  return { images: images.length, regions: annotations.length, categories: categories.size, objects: opened.manifest.objects, problems };
}
