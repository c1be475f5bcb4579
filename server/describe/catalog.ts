// The objects and defect classes of the public industrial anomaly datasets, as their folders
// (MVTec AD, MVTec 3D-AD) and annotation labels (VisA image_anno.csv) name them, with the
// phrases that read better than the shared vocabulary; `{o}` stands for the object.

export type KnownDataset = 'MVTec AD' | 'VisA' | 'MVTec 3D-AD';

export interface KnownObject {
  dataset: KnownDataset;
  /** The object folder name. */
  object: string;
  /** Defect class names, exactly as the dataset writes them. */
  defects: readonly string[];
  /** Phrases for defects the vocabulary would word poorly for this object. */
  phrases: Readonly<Record<string, string>>;
}

const VISA_PCB_BENT_MELT = {
  bent: 'bent component on {o}',
  melt: 'melted component on {o}',
  missing: 'missing component on {o}',
};

export const KNOWN_OBJECTS: readonly KnownObject[] = [
  // MVTec AD
  {
    dataset: 'MVTec AD',
    object: 'bottle',
    defects: ['broken_large', 'broken_small', 'contamination'],
    phrases: { broken_large: 'large break in {o}', broken_small: 'small break in {o}', contamination: 'contamination in {o}' },
  },
  {
    dataset: 'MVTec AD',
    object: 'cable',
    defects: ['bent_wire', 'cable_swap', 'combined', 'cut_inner_insulation', 'cut_outer_insulation', 'missing_cable', 'missing_wire', 'poke_insulation'],
    phrases: {
      bent_wire: 'bent wire of {o}',
      cable_swap: 'swapped inner cables of {o}',
      cut_inner_insulation: 'cut inner insulation of {o}',
      cut_outer_insulation: 'cut outer insulation of {o}',
      missing_cable: 'missing inner cable of {o}',
      missing_wire: 'missing copper wire of {o}',
      poke_insulation: 'poked insulation of {o}',
    },
  },
  { dataset: 'MVTec AD', object: 'capsule', defects: ['crack', 'faulty_imprint', 'poke', 'scratch', 'squeeze'], phrases: {} },
  { dataset: 'MVTec AD', object: 'carpet', defects: ['color', 'cut', 'hole', 'metal_contamination', 'thread'], phrases: {} },
  { dataset: 'MVTec AD', object: 'grid', defects: ['bent', 'broken', 'glue', 'metal_contamination', 'thread'], phrases: {} },
  { dataset: 'MVTec AD', object: 'hazelnut', defects: ['crack', 'cut', 'hole', 'print'], phrases: {} },
  { dataset: 'MVTec AD', object: 'leather', defects: ['color', 'cut', 'fold', 'glue', 'poke'], phrases: {} },
  { dataset: 'MVTec AD', object: 'metal_nut', defects: ['bent', 'color', 'flip', 'scratch'], phrases: {} },
  {
    dataset: 'MVTec AD',
    object: 'pill',
    defects: ['color', 'combined', 'contamination', 'crack', 'faulty_imprint', 'pill_type', 'scratch'],
    phrases: { pill_type: 'wrong type of {o}' },
  },
  {
    dataset: 'MVTec AD',
    object: 'screw',
    defects: ['manipulated_front', 'scratch_head', 'scratch_neck', 'thread_side', 'thread_top'],
    phrases: {
      manipulated_front: 'manipulated tip of {o}',
      scratch_head: 'scratch on head of {o}',
      scratch_neck: 'scratch on neck of {o}',
      thread_side: 'damaged thread on side of {o}',
      thread_top: 'damaged thread at top of {o}',
    },
  },
  {
    dataset: 'MVTec AD',
    object: 'tile',
    defects: ['crack', 'glue_strip', 'gray_stroke', 'oil', 'rough'],
    phrases: { glue_strip: 'glue strip on {o}', gray_stroke: 'gray stroke on {o}' },
  },
  { dataset: 'MVTec AD', object: 'toothbrush', defects: ['defective'], phrases: { defective: 'defective bristles of {o}' } },
  {
    dataset: 'MVTec AD',
    object: 'transistor',
    defects: ['bent_lead', 'cut_lead', 'damaged_case', 'misplaced'],
    phrases: { bent_lead: 'bent lead of {o}', cut_lead: 'cut lead of {o}', damaged_case: 'damaged case of {o}' },
  },
  { dataset: 'MVTec AD', object: 'wood', defects: ['color', 'combined', 'hole', 'liquid', 'scratch'], phrases: {} },
  {
    dataset: 'MVTec AD',
    object: 'zipper',
    defects: ['broken_teeth', 'combined', 'fabric_border', 'fabric_interior', 'rough', 'split_teeth', 'squeezed_teeth'],
    phrases: {
      broken_teeth: 'broken teeth of {o}',
      fabric_border: 'damaged fabric border of {o}',
      fabric_interior: 'damaged fabric of {o}',
      split_teeth: 'split teeth of {o}',
      squeezed_teeth: 'squeezed teeth of {o}',
    },
  },
  // VisA (labels of image_anno.csv; class ids 1.. of the masks in this order of the official id map)
  {
    dataset: 'VisA',
    object: 'candle',
    defects: [
      'chunk of wax missing',
      'damaged corner of packaging',
      'weird candle wick',
      'different colour spot',
      'extra wax in candle',
      'foreign particals on candle',
      'wax melded out of the candle',
      'other',
    ],
    phrases: {
      'chunk of wax missing': 'chunk of wax missing from {o}',
      'damaged corner of packaging': 'damaged corner of {o} packaging',
      'weird candle wick': 'abnormal wick of {o}',
      'extra wax in candle': 'extra wax on {o}',
      'foreign particals on candle': 'foreign particles on {o}',
      'wax melded out of the candle': 'wax melted out of {o}',
    },
  },
  { dataset: 'VisA', object: 'capsules', defects: ['bubble', 'discolor', 'scratch', 'leak', 'misshape'], phrases: {} },
  {
    dataset: 'VisA',
    object: 'cashew',
    defects: ['burnt', 'corner or edge breakage', 'different colour spot', 'middle breakage', 'small holes', 'small scratches', 'stuck together', 'same colour spot', 'other'],
    phrases: { 'stuck together': 'cashews stuck together' },
  },
  {
    dataset: 'VisA',
    object: 'chewinggum',
    defects: ['chunk of gum missing', 'corner missing', 'scratches', 'similar colour spot', 'small cracks', 'other'],
    phrases: { 'chunk of gum missing': 'chunk missing from {o}' },
  },
  {
    dataset: 'VisA',
    object: 'fryum',
    defects: ['burnt', 'corner or edge breakage', 'different colour spot', 'fryum stuck together', 'middle breakage', 'similar colour spot', 'small scratches', 'other'],
    phrases: { 'fryum stuck together': 'fryums stuck together' },
  },
  {
    dataset: 'VisA',
    object: 'macaroni1',
    defects: ['chip around edge and corner', 'different colour spot', 'middle breakage', 'similar colour spot', 'small cracks', 'small scratches', 'other'],
    phrases: { 'chip around edge and corner': 'chip around edge and corner of {o}' },
  },
  {
    dataset: 'VisA',
    object: 'macaroni2',
    defects: ['breakage down the middle', 'color spot similar to the object', 'different color spot', 'small chip around edge', 'small cracks', 'small scratches', 'other'],
    phrases: { 'small chip around edge': 'small chip around edge of {o}' },
  },
  { dataset: 'VisA', object: 'pcb1', defects: ['bent', 'melt', 'scratch', 'missing'], phrases: VISA_PCB_BENT_MELT },
  { dataset: 'VisA', object: 'pcb2', defects: ['bent', 'melt', 'scratch', 'missing'], phrases: VISA_PCB_BENT_MELT },
  { dataset: 'VisA', object: 'pcb3', defects: ['bent', 'melt', 'scratch', 'missing'], phrases: VISA_PCB_BENT_MELT },
  {
    dataset: 'VisA',
    object: 'pcb4',
    defects: ['burnt', 'scratch', 'missing', 'damage', 'extra', 'wrong place', 'dirt'],
    phrases: {
      burnt: 'burnt spot on {o}',
      missing: 'missing component on {o}',
      damage: 'damaged component on {o}',
      extra: 'extra component on {o}',
      'wrong place': 'misplaced component on {o}',
    },
  },
  {
    dataset: 'VisA',
    object: 'pipe_fryum',
    defects: ['burnt', 'corner and edge breakage', 'different colour spot', 'middle breakage', 'similar colour spot', 'small scratches', 'stuck together', 'small cracks', 'other'],
    phrases: { 'stuck together': 'pipe fryums stuck together' },
  },
  // MVTec 3D-AD
  { dataset: 'MVTec 3D-AD', object: 'bagel', defects: ['combined', 'contamination', 'crack', 'hole'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'cable_gland', defects: ['bent', 'cut', 'hole', 'thread'], phrases: { thread: 'damaged thread of {o}' } },
  { dataset: 'MVTec 3D-AD', object: 'carrot', defects: ['combined', 'contamination', 'crack', 'cut', 'hole'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'cookie', defects: ['combined', 'contamination', 'crack', 'hole'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'dowel', defects: ['bent', 'combined', 'contamination', 'cut'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'foam', defects: ['color', 'combined', 'contamination', 'cut'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'peach', defects: ['combined', 'contamination', 'cut', 'hole'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'potato', defects: ['combined', 'contamination', 'cut', 'hole'], phrases: {} },
  { dataset: 'MVTec 3D-AD', object: 'rope', defects: ['contamination', 'cut', 'open'], phrases: { open: 'opened strands of {o}' } },
  { dataset: 'MVTec 3D-AD', object: 'tire', defects: ['combined', 'contamination', 'cut', 'hole'], phrases: {} },
];

/** Every (object, defect) class of the known datasets, optionally of one dataset. */
export function knownClasses(dataset?: KnownDataset): { dataset: KnownDataset; object: string; defect: string }[] {
  return KNOWN_OBJECTS.filter((o) => dataset === undefined || o.dataset === dataset).flatMap((o) =>
    o.defects.map((defect) => ({ dataset: o.dataset, object: o.object, defect })),
  );
}
