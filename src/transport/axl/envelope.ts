// The SOAP 1.1 request for one AXL operation. Namespace and SOAPAction per version:
// - namespace http://www.cisco.com/AXL/API/<v> is the targetNamespace of the published
//   AXLSoap.xsd (cisco-axl@1.2.5 schema/<v>/AXLSoap.xsd);
// - SOAPAction "CUCM:DB ver=<v> <operation>" is what the published WSDL binds every operation to
//   (cisco-axl@1.2.5 schema/15.0/AXLAPI.wsdl: `<soap:operation soapAction="CUCM:DB ver=15.0
//   addSipProfile"/>`), sent quoted as SOAP 1.1 §6.1.1 requires.
import { apiVersion, axlNamespace, type AxlVersion } from './version.js';
import { checkName, childrenXml, type AxlRecord } from './xml-write.js';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface AxlRequest {
  /** The whole SOAP envelope (UTF-8 text). */
  body: string;
  /** The SOAPAction header value, quotes included. */
  soapAction: string;
  namespace: string;
  operation: string;
}

/** The request for `operation` with `payload` as the operation element's children (in key order). */
export function axlEnvelope(operation: string, payload: AxlRecord, version: AxlVersion): AxlRequest {
  checkName(operation, '(operation)');
  const namespace = axlNamespace(version);
  const inner = childrenXml(payload, '');
  const op = inner === '' ? `<ns:${operation}/>` : `<ns:${operation}>${inner}</ns:${operation}>`;
  const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:ns="${namespace}"><soapenv:Header/><soapenv:Body>${op}</soapenv:Body></soapenv:Envelope>`;
  return { body, soapAction: `"CUCM:DB ver=${apiVersion(version)} ${operation}"`, namespace, operation };
}
