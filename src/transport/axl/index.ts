// The AXL transport's public surface (the step catalogue and the lab use only this module).
export { createAxlClient, objectOf, type AxlClient, type AxlClientOptions, type AxlCallOptions } from './client.js';
export { axlEnvelope, SOAP_ENV, type AxlRequest } from './envelope.js';
export * from './errors.js';
export { asList, parseAxlResponse, textOf, toValue, MAX_RESPONSE_BYTES, type AxlReply, type SoapFaultInfo } from './response.js';
export { apiVersion, axlNamespace, versionOfNamespace, AXL_VERSIONS, type AxlVersion } from './version.js';
export { AxlPayloadError, escapeXml, type AxlRecord, type AxlValue } from './xml-write.js';
export { readXml, XmlReadError, type XmlElement } from './xml-read.js';
