// The rewriting prompt of the paper (§3.2): the example image, the object name and the
// anomaly class name, then the instruction; plus a system line that asks for the short,
// single-line form the CLIP text encoder reads.
import { createHash } from 'node:crypto';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';

export const SYSTEM_PROMPT =
  'Answer with one short phrase of at most 12 words, in lower case, without quotes and without a final period, ' +
  'for example "crack in hazelnut" or "cut inner insulation of cable".';

export const INSTRUCTION =
  'You are given an image along with an object name and an anomaly class name. Based on these inputs, ' +
  'generate a natural and concise description that describes the anomaly occurring with the object. ' +
  'Make sure the description clearly conveys the relationship between the object and the anomaly.';

/** The same instruction when no example image is at hand. */
export const INSTRUCTION_WITHOUT_IMAGE = INSTRUCTION.replace('an image along with an object name', 'an object name');

export interface PromptInputs {
  /** Replaces the paper's instruction. */
  instruction?: string;
  object: string;
  defect: string;
  /** data: URL of the example image. */
  imageURL?: string;
}

function template(withImage: boolean, custom?: string): { system: string; user: string[] } {
  const names = 'Object name: {object}\nAnomaly class name: {class}';
  const instruction = `${custom ?? (withImage ? INSTRUCTION : INSTRUCTION_WITHOUT_IMAGE)}\nOutput:`;
  return { system: SYSTEM_PROMPT, user: withImage ? ['Anomaly Image:', '{image}', names, instruction] : [names, instruction] };
}

/** Hash of the prompt template (not of its inputs): what provenance records. */
export function promptHash(withImage: boolean, instruction?: string): string {
  return createHash('sha256').update(JSON.stringify(template(withImage, instruction))).digest('hex').slice(0, 16);
}

/** The chat messages for one class. */
export function buildMessages(inputs: PromptInputs): ChatCompletionMessageParam[] {
  const { system, user } = template(inputs.imageURL !== undefined, inputs.instruction);
  const parts: ChatCompletionContentPart[] = user.map((piece) =>
    piece === '{image}'
      ? { type: 'image_url', image_url: { url: inputs.imageURL ?? '', detail: 'low' } }
      : { type: 'text', text: piece.replace('{object}', () => inputs.object).replace('{class}', () => inputs.defect) },
  );
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts },
  ];
}
