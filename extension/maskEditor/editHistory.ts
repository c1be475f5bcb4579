// Whether a mask document has unsaved edits, counted as VS Code counts them for a custom editor:
// a stack of edits with a position that undo and redo move, and the position of the last save.
// VS Code tells an editor nothing of its dirty state, and a change on disk depends on it.
export class EditHistory {
  /** Edits on the stack (those undone included, until a new edit drops them). */
  private length = 0;
  private current = 0;
  /** -1 once the saved state was undone and then replaced by another edit: unreachable. */
  private savePoint = 0;
  /** Restored from a hot-exit backup: unsaved until the next save or revert. */
  private restored: boolean;

  constructor(restored = false) {
    this.restored = restored;
  }

  /** A new edit: the ones undone before it can no longer be redone. */
  push(): void {
    if (this.savePoint > this.current) this.savePoint = -1;
    this.current++;
    this.length = this.current;
  }

  undo(): void {
    if (this.current > 0) this.current--;
  }

  redo(): void {
    if (this.current < this.length) this.current++;
  }

  /** Where the history stands: a save marks the position it started at. */
  get position(): number {
    return this.current;
  }

  saved(at = this.current): void {
    this.savePoint = at;
    this.restored = false;
  }

  /** VS Code's revert: back to the save point, the edits after it dropped. */
  reverted(): void {
    if (this.savePoint >= 0) this.current = this.savePoint;
    this.length = this.current;
    this.savePoint = this.current;
    this.restored = false;
  }

  get dirty(): boolean {
    return this.restored || this.current !== this.savePoint;
  }
}
