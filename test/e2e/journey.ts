// A new user in an empty workspace, from the command palette only: each step is what a person
// would do next, checked by what the workbench shows and what lands on disk. Screenshots go to
// out/e2e/screenshots/journey-*.png.
import type { Check } from './harness';
import { runCommand, waitForText } from './palette';

export const JOURNEY: Check[] = [
  {
    name: 'the palette finds the Anomaly Lens commands and opens the Anomaly Lens view',
    run: async (page, session) => {
      // The extension under development is registered once its contributions show.
      await page.locator('.part.activitybar .action-item a[aria-label^="Anomaly Lens"]').first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'View: Show Anomaly Lens');
      const sidebar = page.locator('.part.sidebar');
      await waitForText(sidebar, /datasets/i);
      await session.screenshot('journey-empty-workspace');
    },
  },
];
