// The hover's text: the record and region under a position, and the Markdown built from them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandUri, escapeMarkdown, predictionsMarkdown, recordMarkdown, type HoverLinks } from '../../../language/hover/hoverMarkdown';
import { recordAt } from '../../../language/hover/recordAt';
import { sampleRecord } from '../datasetText/fixtures';

const line = JSON.stringify(sampleRecord(7, 2));
const links: HoverLinks = {
  maskEditor: commandUri('anomalyLens.openMaskEditor', { image: '/d/images/x.png' }),
  image: 'file:///d/images/x.png',
  masks: ['file:///d/masks/0.png', undefined],
  describeWith: commandUri('anomalyLens.describeRecordWith', 'file:///d/test.jsonl', 3),
};
const thumbnail = { thumbnail: 'data:image/png;base64,iVBORw0KGgo=', width: 64, height: 48, image: '/d/images/x.png', masks: ['/d/masks/0.png', null] };

test('recordAt finds the record, and the region whose object holds the position', () => {
  const onImage = recordAt(3, line, 3);
  assert.equal(onImage?.image, 'images/test/tire/combined/007.9c41d2aa.png');
  assert.equal(onImage?.line, 3);
  assert.equal(onImage?.regions.length, 2);
  assert.equal(onImage?.region, undefined);
  const second = line.indexOf('{', line.indexOf('"regions"') + 13);
  const inSecond = recordAt(3, line, second + 5);
  assert.equal(inSecond?.region, 1);
  assert.deepEqual(inSecond?.regionSpan?.[0], second);
  assert.equal(line[inSecond!.regionSpan![1] - 1], '}');
  assert.deepEqual(inSecond?.regions[1], { mask: 'masks/test/tire/combined/007_1.5be07f13.png', defect: 'crack', description: 'a thin crack in the tire', area: 755, bbox: [11, 20, 30, 40] });
  assert.equal(recordAt(0, '{"image": ', 2), undefined, 'a broken line');
  assert.equal(recordAt(0, '[1, 2]', 1), undefined, 'not an object');
  assert.equal(recordAt(0, '{"object": "tire"}', 1), undefined, 'no image');
});

test('the record part: thumbnail, facts, one table row per region, and the links', () => {
  const md = recordMarkdown(recordAt(0, line, 2)!, thumbnail, links);
  assert.match(md, /^!\[images\/test\/tire\/combined\/007\\\.9c41d2aa\\\.png, 2 regions\]\(data:image\/png;base64,iVBORw0KGgo=\)/);
  assert.match(md, /\*\*tire\*\* · combined · 2 regions · 600×800/);
  assert.match(md, /\| 1 \| cut \| 754 \| \[10, 20, 30, 40\] \| a cut in the tire \|/);
  assert.match(md, /\| 2 \| crack \| 755 \| \[11, 20, 30, 40\] \| a thin crack in the tire \|/);
  assert.match(md, /\[Open in Mask Editor\]\(command:anomalyLens\.openMaskEditor\?/);
  assert.match(md, /\[Open mask 1\]\(file:\/\/\/d\/masks\/0\.png\)/);
  assert.doesNotMatch(md, /Open mask 2/, 'a missing mask has no link');
});

test('a region hover shows that region alone; without a thumbnail it says why', () => {
  const second = line.indexOf('{', line.indexOf('"regions"') + 13);
  const md = recordMarkdown(recordAt(0, line, second + 2)!, undefined, links, 'image file images/x.png does not exist');
  assert.match(md, /region 2 of 2/);
  assert.match(md, /No preview: image file images\/x\\\.png does not exist/);
  assert.doesNotMatch(md, /\| 1 \| cut/);
  assert.match(md, /\| 2 \| crack/);
});

test('the prediction part: the best description, the top 3 in percent, and a mark where it disagrees with the label', () => {
  const facts = recordAt(0, line, 2)!;
  const md = predictionsMarkdown(
    facts,
    {
      bundle: '/m/run-1/bundle',
      regions: [
        { ranking: [{ text: 'a cut in the tire', probability: 0.912 }, { text: 'a thin crack in the tire', probability: 0.05 }, { text: 'x | y', probability: 0.0001 }] },
        { ranking: [{ text: 'a cut in the tire', probability: 0.6 }, { text: 'a thin crack in the tire', probability: 0.4 }] },
      ],
    },
    'run-1',
    links,
  );
  assert.match(md, /\*\*Predicted\*\* by run\\-1/);
  assert.match(md, /\| 1 \| a cut in the tire \| a cut in the tire 91\.2%; a thin crack in the tire 5\.0%; x \\\| y 0% \| ✓ agrees \|/);
  assert.match(md, /\| 2 \| a cut in the tire \| .* \| ⚠ \*\*differs\*\* \|/);
  assert.match(md, /\[Describe with another model…\]\(command:anomalyLens\.describeRecordWith\?/);
  const failed = predictionsMarkdown(facts, { bundle: 'b', regions: [{ error: 'mask file m.png does not exist' }, null] }, 'b', links);
  assert.match(failed, /\| 1 \| \*mask file m\\\.png does not exist\* \|/);
  assert.doesNotMatch(failed, /\| 2 \|/);
});

test('a region whose best answer is below the threshold is uncertain: its top 3 shown, no answer stated, no mark', () => {
  const facts = recordAt(0, line, 2)!;
  const predictions = {
    bundle: '/m/run-1/bundle',
    uncertainBelow: 0.7,
    regions: [
      { ranking: [{ text: 'a cut in the tire', probability: 0.912 }, { text: 'a thin crack in the tire', probability: 0.05 }] },
      { ranking: [{ text: 'a cut in the tire', probability: 0.6 }, { text: 'a thin crack in the tire', probability: 0.4 }] },
    ],
  };
  const md = predictionsMarkdown(facts, predictions, 'run-1', links);
  assert.match(md, /\| 1 \| a cut in the tire \| .* \| ✓ agrees \|/);
  assert.match(md, /^\| 2 \| \*uncertain\* \(below 70\.0%\) \| a cut in the tire 60\.0%; a thin crack in the tire 40\.0% \| \|$/m);
  // The setting's threshold overrides the bundle's.
  assert.match(predictionsMarkdown(facts, predictions, 'run-1', links, 0.5), /\| 2 \| a cut in the tire \| .* \| ⚠ \*\*differs\*\* \|/);
  assert.match(predictionsMarkdown(facts, predictions, 'run-1', links, 0.95), /^\| 1 \| \*uncertain\* \(below 95\.0%\)/m);
});

test('escapeMarkdown keeps text from the user\'s files literal; commandUri round-trips its arguments', () => {
  assert.equal(escapeMarkdown('a *b* [c](d) | e_f'), 'a \\*b\\* \\[c\\]\\(d\\) \\| e\\_f');
  const uri = commandUri('x.y', { image: '/a b/c.png', region: 2 }, 3);
  assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice('command:x.y?'.length))), [{ image: '/a b/c.png', region: 2 }, 3]);
});
