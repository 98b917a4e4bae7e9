// Control Center Services requests of the example plan (issue 21: S021, S029): the status read and
// the deployment per service, bodies exactly as sent, the checkpoint's read; every value checked
// for its kind and XML-escaped (src/plan/controlcenter-soap.ts).
import { describe, expect, it } from 'vitest';
import { catalogueSchemas } from '../../src/catalogue/schema.js';

const controlCenterSchema = catalogueSchemas().controlCenter;
import { readXml } from '../../src/transport/axl/index.js';
import { CONTROL_CENTER_NS, serviceDeploymentBody, serviceStatusBody } from '../../src/plan/controlcenter-soap.js';
import { action, planOf, step } from './harness.js';
import { verifications } from '../../src/plan/verifications.js';

const example = planOf();
const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const CAPF = 'Cisco Certificate Authority Proxy Function';
const CES = 'Cisco Certificate Enrollment Service';
const PATH = '/controlcenterservice2/services/ControlCenterServices';

const statusXml = (svc: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENV}" xmlns:soap="${CONTROL_CENTER_NS}"><soapenv:Header/><soapenv:Body><soap:soapGetServiceStatus><soap:ServiceStatus>${svc}</soap:ServiceStatus></soap:soapGetServiceStatus></soapenv:Body></soapenv:Envelope>`;
const deployXml = (node: string, svc: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENV}" xmlns:soap="${CONTROL_CENTER_NS}"><soapenv:Header/><soapenv:Body><soap:soapDoServiceDeployment><soap:DeploymentServiceRequest><soap:NodeName>${node}</soap:NodeName><soap:DeployType>Deploy</soap:DeployType><soap:ServiceList><soap:item>${svc}</soap:item></soap:ServiceList></soap:DeploymentServiceRequest></soap:soapDoServiceDeployment></soapenv:Body></soapenv:Envelope>`;

describe('Control Center Services golden requests (example inventory)', () => {
  it.each([
    ['S021', CAPF],
    ['S029', CES],
  ])('%s reads %s, then deploys it on the publisher by its FQDN', (id, svc) => {
    const a = action(example, id, 'us-cm-pub');
    expect(a?.apiEndpoint).toEqual({ api: 'controlcenter', host: '192.0.2.10', port: 8443 });
    expect(a?.requests).toEqual([
      { api: 'controlcenter', mode: 'check', method: 'POST', path: PATH, body: statusXml(svc), readable: `soapGetServiceStatus ServiceStatus="${svc}"`, subject: svc },
      {
        api: 'controlcenter',
        mode: 'write',
        method: 'POST',
        path: PATH,
        body: deployXml('us-cm-pub.ent-pa.com', svc),
        readable: `soapDoServiceDeployment NodeName=us-cm-pub.ent-pa.com DeployType=Deploy ServiceList="${svc}", then soapGetServiceStatus until Started`,
        subject: svc,
      },
    ]);
    // The checkpoint reads the status again (with the SSH `utils service list` it had before).
    const cp = step(example, id)!.checkpoint;
    expect(cp.requests?.map((r) => [r.mode, r.body, r.subject])).toEqual([['check', statusXml(svc), svc]]);
    expect(verifications(cp).map((v) => v.command)).toEqual(['utils service list']);
  });

  it('only S021 and S029 carry requests; no other step changes', () => {
    expect(example.steps.filter((s) => s.actions.some((a) => a.requests?.some((r) => r.api === 'controlcenter'))).map((s) => s.id)).toEqual(['S021', 'S029']);
  });

  it('httpsPort moves the endpoint; without online CA S029 (and its requests) is absent', () => {
    type Inv = { features: Record<string, boolean>; cucm: { publisher: { httpsPort?: number } }[] };
    const p = planOf<Inv>((inv) => {
      inv.cucm[0]!.publisher.httpsPort = 9443;
      inv.features.capfOnlineCa = false;
    });
    expect(action(p, 'S021', 'us-cm-pub')?.apiEndpoint).toEqual({ api: 'controlcenter', host: '192.0.2.10', port: 9443 });
    expect(step(p, 'S029')).toBeUndefined();
  });
});

describe('Control Center Services values', () => {
  it('every body is well-formed SOAP whose text is exactly the value', () => {
    const body = readXml(serviceDeploymentBody('cm1.example.com', 'Deploy', ['Cisco DirSync', 'Self Provisioning IVR']));
    const req = body.children[1]!.children[0]!.children[0]!;
    expect(req.children.map((c) => [c.local, c.ns])).toEqual([
      ['NodeName', CONTROL_CENTER_NS],
      ['DeployType', CONTROL_CENTER_NS],
      ['ServiceList', CONTROL_CENTER_NS],
    ]);
    expect(req.children[2]!.children.map((c) => c.text)).toEqual(['Cisco DirSync', 'Self Provisioning IVR']);
  });

  it.each(['Cisco <x/>', 'A & B', 'Cisco ]]> x', 'Cisco "quoted"', 'Cisco\nTftp', 'Cisco  Tftp', ' Cisco Tftp', 'Cisco Tftp ', '', 'x'.repeat(101), 'Cisco\u202eTftp'])('refuses the service name %j before it reaches a body', (bad) => {
    expect(() => serviceStatusBody(bad)).toThrow(/service name/);
    expect(() => serviceDeploymentBody('cm1', 'Deploy', [bad])).toThrow(/service name/);
    expect(controlCenterSchema.safeParse({ nodeName: '{{node.fqdn}}', publisher: [bad] }).success).toBe(false);
  });

  it.each(['cm1.example.com</soap:NodeName>', 'cm1 example', '-cm1', 'cm1..example', '', 'a'.repeat(254)])('refuses the node name %j', (bad) => {
    expect(() => serviceDeploymentBody(bad, 'Deploy', ['Cisco Tftp'])).toThrow(/node name/);
  });

  it('accepts names with the marks Service Activation uses', () => {
    for (const s of ['Cisco CTL Provider', 'Cisco Extended Functions', 'Cisco IP Voice Media Streaming App', 'Cisco Location Bandwidth Manager', 'Cisco CallManager SNMP Service']) {
      expect(readXml(serviceStatusBody(s)).children[1]!.children[0]!.children[0]!.text).toBe(s);
    }
    expect(controlCenterSchema.safeParse({ nodeName: 'x', publisher: [] }).success).toBe(false);
  });
});
