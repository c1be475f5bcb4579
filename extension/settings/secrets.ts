// The LLM API key lives in VS Code's SecretStorage only: never in settings, logs or messages.
import * as vscode from 'vscode';

const KEY = 'anomalyLens.llmApiKey';

export class LlmKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(KEY));
  }

  /** An empty key removes the stored one. */
  async set(key: string): Promise<void> {
    if (key) await this.secrets.store(KEY, key);
    else await this.secrets.delete(KEY);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key === KEY) listener();
    });
  }
}
