// Unsaved edits of a mask document, counted as VS Code counts them: undo back to the saved state is
// clean, a new edit after undoing past the save point never is, a save marks where it started, and
// a backup is unsaved until saved or reverted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EditHistory } from '../../../extension/maskEditor/editHistory';

describe('edit history', () => {
  it('is dirty exactly when VS Code shows the editor dirty', () => {
    const h = new EditHistory();
    assert.equal(h.dirty, false);
    h.push();
    h.push();
    assert.equal(h.dirty, true);
    h.saved();
    assert.equal(h.dirty, false);
    h.undo();
    assert.equal(h.dirty, true);
    h.redo();
    assert.equal(h.dirty, false, 'redone back to the saved state');
    h.redo();
    assert.equal(h.dirty, false, 'nothing left to redo');
    h.undo();
    h.push();
    assert.equal(h.dirty, true);
    h.undo();
    assert.equal(h.dirty, true, 'the saved state was replaced by another edit: never reached again');
    h.reverted();
    assert.equal(h.dirty, false);
    h.push();
    h.redo();
    assert.equal(h.dirty, true);
  });

  it('a save marks the position it started at; a restored backup is unsaved until saved or reverted', () => {
    const h = new EditHistory();
    h.push();
    const at = h.position;
    h.push();
    h.saved(at);
    assert.equal(h.dirty, true, 'an edit made while saving stays unsaved');
    h.undo();
    assert.equal(h.dirty, false);

    const restored = new EditHistory(true);
    assert.equal(restored.dirty, true);
    restored.reverted();
    assert.equal(restored.dirty, false);
    const saved = new EditHistory(true);
    saved.saved();
    assert.equal(saved.dirty, false);
  });
});
