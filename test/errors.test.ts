// UserError is recognised across copies of src/errors.ts (the launcher and each bundle carry one:
// test/e2e/bundle-user-errors.test.ts), while a subclass keeps the ordinary prototype check.
import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../src/errors.js';
import { InventoryError } from '../src/inventory/load.js';

describe('UserError across module copies', () => {
  it('a UserError of another copy of the module is a UserError here, and the other way round', async () => {
    vi.resetModules();
    // A query makes vitest load the file again as another module: a second copy of the class.
    // @ts-expect-error -- the specifier with its query is not a path TypeScript resolves
    const other = (await import('../src/errors.js?copy')) as typeof import('../src/errors.js');
    expect(other.UserError).not.toBe(UserError);
    const theirs = new other.UserError('from a bundle', 'try this', 3);
    expect(theirs instanceof UserError).toBe(true);
    expect(new UserError('here') instanceof other.UserError).toBe(true);
    expect(theirs.exitCode).toBe(3);
  });

  it('is false of other errors and values; a subclass is checked by its prototype as usual', () => {
    for (const v of [new Error('bug'), new TypeError('x'), null, undefined, 'UserError', { name: 'UserError', exitCode: 3 }]) expect(v instanceof UserError).toBe(false);
    const inv = new InventoryError('/x.yaml', [{ path: 'domain', message: 'required field is missing' }]);
    expect(inv instanceof UserError).toBe(true);
    expect(inv instanceof InventoryError).toBe(true);
    expect(new UserError('plain') instanceof InventoryError).toBe(false);
  });
});
