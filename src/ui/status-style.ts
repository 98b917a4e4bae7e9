// Colour per status. Marks (from the wizard's view model) carry the meaning; colour only helps.
import type { DisplayStatus } from '../wizard/view-model.js';

export const statusColor: Record<DisplayStatus, string | undefined> = {
  pending: undefined,
  'in-progress': 'cyan',
  interrupted: 'yellow',
  'in-doubt': 'yellow',
  verified: 'green',
  overridden: 'magenta',
  failed: 'red',
  skipped: 'gray',
  'backed-out': 'blue',
};
