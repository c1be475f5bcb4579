import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ClipTokenizer } from '../../../server/model/tokenizer';
import { builtinDescription, createDescriber, knownClasses, KNOWN_OBJECTS, readableDefect, readableObject } from '../../../server/describe';
import { SAMPLE_OBJECTS } from '../../../server/sample/catalog';
import { CLIP_MERGES, SAMPLE } from './fixtures';

function assertTexts(cases: readonly (readonly [string, string, string])[]): void {
  for (const [object, defect, text] of cases) assert.equal(builtinDescription(object, defect).text, text, `${object}/${defect}`);
}

test('every class of MVTec AD, VisA and MVTec 3D-AD has a written description that fits CLIP', () => {
  const tokenizer = ClipTokenizer.fromFile(CLIP_MERGES);
  const classes = knownClasses();
  assert.equal(knownClasses('MVTec AD').length, 73);
  assert.equal(new Set(knownClasses('MVTec AD').map((c) => c.object)).size, 15);
  assert.equal(new Set(knownClasses('VisA').map((c) => c.object)).size, 12);
  assert.equal(new Set(knownClasses('MVTec 3D-AD').map((c) => c.object)).size, 10);
  for (const { object, defect } of classes) {
    const { text, source } = builtinDescription(object, defect);
    const label = `${object}/${defect} -> "${text}"`;
    assert.notEqual(source, 'composed', `${label} is only composed from the names`);
    assert.match(text, /^[a-z][a-z ]*[a-z]$/, `${label}: plain lower-case words`);
    assert.ok(text.includes(readableObject(object).split(' ').at(-1)!.replace(/s$/, '')), `${label} names the object`);
    const input = tokenizer.encodeForModel(text);
    assert.equal(input.truncated, false, label);
    assert.ok(input.ids.length <= 20, `${label}: ${input.ids.length} tokens`);
  }
});

test('the defects of one object read differently from each other', () => {
  for (const known of KNOWN_OBJECTS) {
    const texts = known.defects.map((d) => builtinDescription(known.object, d).text);
    assert.equal(new Set(texts).size, texts.length, `${known.object}: ${texts.join(' | ')}`);
  }
});

test('the catalog lists the MVTec AD folders of cable and metal nut and the MVTec 3D-AD tire', () => {
  const defectsOf = (object: string) => KNOWN_OBJECTS.find((o) => o.object === object)?.defects;
  assert.deepEqual(defectsOf('cable'), [
    'bent_wire', 'cable_swap', 'combined', 'cut_inner_insulation', 'cut_outer_insulation', 'missing_cable', 'missing_wire', 'poke_insulation',
  ]);
  assert.deepEqual(defectsOf('metal_nut'), ['bent', 'color', 'flip', 'scratch']);
  // The real tire sample: its test folders and its class map name only catalogued defects.
  const folders = readdirSync(join(SAMPLE, 'tire', 'test')).filter((d) => d !== 'good');
  const classMap = Object.values(JSON.parse(readFileSync(join(SAMPLE, 'tire', 'class_ids.json'), 'utf8')) as Record<string, string>).filter((n) => n !== 'good');
  for (const defect of [...folders, ...classMap]) {
    assert.ok(defectsOf('tire')?.includes(defect), `tire/${defect} is catalogued`);
    assert.equal(builtinDescription('tire', defect).source === 'composed', false);
  }
});

test('examples read as written facts', () => {
  assertTexts([
    ['cable', 'cut_inner_insulation', 'cut inner insulation of cable'],
    ['hazelnut', 'crack', 'crack in hazelnut'],
    ['bottle', 'broken_large', 'large break in bottle'],
    ['metal_nut', 'flip', 'flipped metal nut'],
    ['screw', 'scratch_head', 'scratch on head of screw'],
    ['pcb4', 'wrong place', 'misplaced component on printed circuit board'],
    ['candle', 'foreign particals on candle', 'foreign particles on candle'],
    ['macaroni2', 'small chip around edge', 'small chip around edge of macaroni'],
    ['chewinggum', 'corner missing', 'missing corner of chewing gum'],
    ['rope', 'open', 'opened strands of rope'],
  ]);
});

test('names match however they are spelled', () => {
  assert.equal(builtinDescription('Metal-Nut', 'Color').text, builtinDescription('metal_nut', 'color').text);
  assert.equal(builtinDescription('MetalNut', 'color').text, 'color stain on metal nut');
  assert.equal(builtinDescription('cable', 'CutInnerInsulation').text, 'cut inner insulation of cable');
  assert.equal(builtinDescription('candle', 'Foreign Particals on Candle').text, 'foreign particles on candle');
  assert.equal(builtinDescription('VisA_candle', 'weird candle wick').text, 'abnormal wick of candle');
});

test('readable names: cases, digits, source prefixes, abbreviations', () => {
  assert.equal(readableObject('metal_nut'), 'metal nut');
  assert.equal(readableObject('cable-gland'), 'cable gland');
  assert.equal(readableObject('PipeFryum'), 'pipe fryum');
  assert.equal(readableObject('macaroni1'), 'macaroni');
  assert.equal(readableObject('pcb3'), 'printed circuit board');
  assert.equal(readableObject('chewinggum'), 'chewing gum');
  assert.equal(readableObject('otx_hazelnut'), 'hazelnut');
  assert.equal(readableObject('123'), '123');
  assert.equal(readableDefect('cut_inner_insulation'), 'cut inner insulation');
  assert.equal(readableDefect('scratchHead'), 'scratch head');
  assert.equal(readableDefect('type2'), 'type 2');
  assert.equal(readableDefect('different colour spot'), 'different color spot');
});

test('unknown classes read naturally through the vocabulary and the composition rules', () => {
  assertTexts([
    ['widget', 'scratch', 'scratch on widget'],
    ['widget', 'hole', 'hole in widget'],
    ['widget', 'crack', 'crack in widget'],
    ['widget', 'stain', 'stain on widget'],
    ['widget', 'missing piece', 'missing piece of widget'],
    ['widget', 'missing_piece', 'missing piece of widget'],
    ['steel_plate', 'glue_strip', 'glue strip on steel plate'],
    ['connector', 'bent_pin', 'bent pin of connector'],
    ['connector', 'missing_screw', 'missing screw of connector'],
    ['can', 'dented', 'dented can'],
    ['casting', 'gas_pore', 'gas pore in casting'],
    ['label2', 'defect3', 'defect 3 on label'],
    ['bottle', 'bottle cap missing', 'bottle cap missing'],
    ['otx_hazelnut', 'colour', 'color stain on hazelnut'],
  ]);
});

test('the defect types of the generated sample dataset read through the vocabulary', () => {
  for (const sample of SAMPLE_OBJECTS) {
    for (const defect of sample.defects) {
      const { text, source } = builtinDescription(sample.name, defect);
      assert.notEqual(source, 'composed', `${sample.name}/${defect}`);
      assert.ok(text.includes(readableObject(sample.name)) && !text.includes('_'), text);
    }
  }
  assert.equal(builtinDescription('bottle_top', 'missing_piece').text, 'missing piece of bottle top');
  assert.equal(builtinDescription('washer', 'scratch').text, 'scratch on washer');
});

test('any names give a non-empty single-line description within the length limit', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (object, defect) => {
      const { text } = builtinDescription(object, defect);
      return text.trim() !== '' && text.length <= 200 && !/[\r\n]/.test(text);
    }),
    { numRuns: 500 },
  );
});

test('the sample dataset classes read naturally and the describer reports built-in provenance', async () => {
  const describer = createDescriber({ mode: 'builtin' });
  const classes = readdirSync(SAMPLE, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((o) => readdirSync(join(SAMPLE, o.name, 'test')).filter((d) => d !== 'good').map((defect) => ({ object: o.name, defect })));
  assert.equal(classes.length, 5);
  const { entries, problems } = await describer.describeAll(classes);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    entries.map((e) => e.text).sort(),
    ['color stain on hazelnut', 'combined defects on tire', 'contamination on tire', 'cut in tire', 'hole in tire'],
  );
  for (const e of entries) assert.deepEqual(e.provenance, { kind: 'builtin' });
  assert.deepEqual(describer.stats(), { requests: 0, cacheHits: 0 });
});
