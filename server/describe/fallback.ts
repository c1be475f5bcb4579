// What a class gets when its describer fails: the built-in description, and a problem that
// says why. Giving up for lack of time (the LLM deadline, a server asking to come back much
// later) is a warning; a failure of the endpoint or its answer is an error.
import type { Problem } from '../util/errors';
import { errorMessage } from '../util/errors';
import { collectSecrets, scrubSecrets } from './llm/secrets';

/** The describer stopped waiting for this class; its built-in description stands, with a warning. */
export class DescriptionSkipped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescriptionSkipped';
  }
}

/** The problem for a class that fell back to its built-in description; never shows a key. */
export function fallbackProblem(object: string, defect: string, exampleImage: string | undefined, err: unknown): Problem {
  const reason = scrubSecrets(errorMessage(err), collectSecrets([process.env]));
  return {
    file: exampleImage ?? `${object}/${defect}`,
    message: `cannot describe ${object}/${defect}: ${reason}; using the built-in description`,
    severity: err instanceof DescriptionSkipped ? 'warning' : 'error',
  };
}
