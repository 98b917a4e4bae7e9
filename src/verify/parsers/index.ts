// Registry of verification parsers by the names the catalogue uses (VerifyExpectation.parser).
import { cmsDbClusterStatus, cmsPkiList, cmsServiceConfig, mmpSuccess } from './cms.js';
import { xapiZone } from './expressway.js';
import { iosConfigSections, iosRsaKey, iosRunningConfigContains, iosTrustpointStatus } from './ios.js';
import type { Parser } from './types.js';
import { vosCertList, vosCsrList, vosCtlRecords, vosServicesStarted } from './vos.js';
import { vosDbReplication, vosDiagnoseTest, vosDrsHistory, vosLicenseExport, vosNetworkCluster, vosNetworkHost, vosNtpStatus, vosRead } from './vos-preflight.js';
import { vosClusterSecurityMode, vosSipOAuthMode } from './vos-sql.js';

export type { ParseResult, Parser, ParserArgs } from './types.js';

export const parsers: Record<string, Parser> = {
  'vos-cluster-security-mode': vosClusterSecurityMode,
  'vos-sipoauth-mode': vosSipOAuthMode,
  'vos-services-started': vosServicesStarted,
  'vos-ctl-records': vosCtlRecords,
  'vos-cert-list': vosCertList,
  'vos-csr-list': vosCsrList,
  'vos-network-host': vosNetworkHost,
  'vos-ntp-status': vosNtpStatus,
  'vos-diagnose-test': vosDiagnoseTest,
  'vos-dbreplication': vosDbReplication,
  'vos-network-cluster': vosNetworkCluster,
  'vos-license-export': vosLicenseExport,
  'vos-drs-history': vosDrsHistory,
  'vos-read': vosRead,
  'ios-trustpoint-status': iosTrustpointStatus,
  'ios-running-config-contains': iosRunningConfigContains,
  'ios-config-sections': iosConfigSections,
  'ios-rsa-key': iosRsaKey,
  'cms-pki-list': cmsPkiList,
  'cms-service-config': cmsServiceConfig,
  'cms-db-cluster-status': cmsDbClusterStatus,
  'mmp-success': mmpSuccess,
  'xapi-zone': xapiZone,
};
