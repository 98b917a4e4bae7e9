// The schema check itself: a request built by axlEnvelope passes for each version, and the three
// ways a hand-written payload goes wrong are caught — an enum value (AXLEnums.xsd), element order
// (XSD sequences) and the namespace of another version.
import { describe, expect, it } from 'vitest';
import { axlEnvelope, type AxlVersion } from '../../../src/transport/axl/index.js';
import { validateAxlRequest } from '../../support/axl-schema.js';
import { phoneSecurityProfile } from './fixture.js';

const add = (v: AxlVersion, p = phoneSecurityProfile('Universal-Encrypted')) => axlEnvelope('addPhoneSecurityProfile', { phoneSecurityProfile: p }, v).body;

describe('validateAxlRequest', () => {
  it.each(['12.5', '14', '15'] as const)('accepts addPhoneSecurityProfile in field order for %s', async (v) => {
    expect(await validateAxlRequest(add(v), v)).toEqual([]);
  });

  it('accepts get, list and update requests', async () => {
    expect(await validateAxlRequest(axlEnvelope('getPhoneSecurityProfile', { name: 'x' }, '15').body, '15')).toEqual([]);
    expect(await validateAxlRequest(axlEnvelope('listPhoneSecurityProfile', { searchCriteria: { name: '%' }, returnedTags: { name: '', description: '' } }, '15').body, '15')).toEqual([]);
    expect(await validateAxlRequest(axlEnvelope('updatePhoneSecurityProfile', { name: 'x', description: 'd', transportType: 'TLS' }, '14').body, '14')).toEqual([]);
  });

  it('refuses an enum value AXLEnums.xsd does not list (AXLSoap.xsd alone would accept any text)', async () => {
    const errors = await validateAxlRequest(add('15', { ...phoneSecurityProfile('x'), deviceSecurityMode: 'Encrypted+' }), '15');
    expect(errors.join('\n')).toMatch(/deviceSecurityMode.*enumeration|enumeration.*deviceSecurityMode/);
  });

  it('refuses elements out of sequence order', async () => {
    const { name, ...rest } = phoneSecurityProfile('x');
    const errors = await validateAxlRequest(add('15', { name: name!, ...rest }), '15');
    expect(errors.join('\n')).toMatch(/not expected/);
  });

  it('refuses the namespace of another version', async () => {
    const errors = await validateAxlRequest(add('14'), '15');
    expect(errors.join('\n')).toMatch(/AXL\/API\/14\.0.*No matching global element/);
  });

  it('refuses an operation the schema does not have', async () => {
    expect(await validateAxlRequest(axlEnvelope('addNothing', {}, '15').body, '15')).toEqual(['addNothing is not an operation of AXL 15.0']);
  });
});
