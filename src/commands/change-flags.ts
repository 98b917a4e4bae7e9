// The change-record flags of `plan` and `report` (--change-number, --approver, --window-start,
// --window-end, --impact, --rollback-owner) laid over the inventory's `change:` block; a bad
// value is a usage error naming its flag.
import { ExitCode, UserError } from '../errors.js';
import { ChangeFlagError, type ChangeFlags, type ChangeRecord, mergeChange } from '../inventory/change.js';

export function changeFromFlags(fromInventory: ChangeRecord | undefined, flags: ChangeFlags): ChangeRecord | undefined {
  try {
    return mergeChange(fromInventory, flags);
  } catch (e) {
    if (!(e instanceof ChangeFlagError)) throw e;
    const hint = e.flag.startsWith('window-') ? 'A window is ISO 8601 with its offset, e.g. --window-start 2026-12-12T22:00+01:00 --window-end 2026-12-13T02:00+01:00.' : undefined;
    throw new UserError(e.message, hint, ExitCode.usage);
  }
}
