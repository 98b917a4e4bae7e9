// The AXL schema version a request speaks, chosen by the inventory's `cucm[].version`
// (automation.md: "the namespace must match the server's major version"). The published schema
// (cisco-axl schema/<v>/AXLSoap.xsd) names its namespace http://www.cisco.com/AXL/API/<major.minor>.

/** Unified CM release as the inventory names it (src/inventory/schema.ts `cucm[].version`). */
export type AxlVersion = '12.5' | '14' | '15';

export const AXL_VERSIONS: readonly AxlVersion[] = ['12.5', '14', '15'];

/** The schema version string: `12.5`, `14.0`, `15.0` (the targetNamespace suffix of AXLSoap.xsd). */
export function apiVersion(v: AxlVersion): '12.5' | '14.0' | '15.0' {
  return v === '12.5' ? '12.5' : v === '14' ? '14.0' : '15.0';
}

export function axlNamespace(v: AxlVersion): string {
  return `http://www.cisco.com/AXL/API/${apiVersion(v)}`;
}

/** The inventory version a namespace belongs to, or undefined for one this client does not speak. */
export function versionOfNamespace(ns: string): AxlVersion | undefined {
  return AXL_VERSIONS.find((v) => axlNamespace(v) === ns);
}
