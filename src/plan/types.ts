// The Plan is the one value that every consumer shares: the text, markdown and json views,
// the wizard and the SSH runner all read the same object (architecture notes: "one plan,
// printed or executed"). Nothing in here knows about Cisco; the words come from the catalogue.

import type { ChangeRecord } from '../inventory/change.js';
import type { CupiTaskSpec } from './cupi-rest.js';

/** How a command line is delivered. `cli`/`ios-config`/`mmp` go over SSH, `local` runs on the operator machine. */
export type StepKind = 'cli' | 'ios-config' | 'mmp' | 'local' | 'gui' | 'manual';

/** The platform driver that understands a target's command line. */
export type Platform = 'vos' | 'ios' | 'mmp' | 'xapi' | 'local';

/**
 * One expected question from the device and what the runner does about it.
 * - `answer`: type this line (a y/n confirmation, an enrol question).
 * - `paste`: paste this file's PEM body, then the terminator line.
 * The runner answers only what is declared here; any other question stops the step.
 */
export interface DialogueEntry {
  /** Literal text the device prints (matched as a substring after ANSI/CR normalisation). */
  expect: string;
  answer?: string;
  /** Path of a PEM file to paste (resolved against the inventory's folder). */
  paste?: string;
  /** Line sent after the pasted PEM ("" = one blank line, or e.g. "quit"). */
  terminator?: string;
  /** Human label for the dry-run ("CA certificate", "signed tomcat certificate"). */
  label?: string;
  /** Answer is a secret: never echoed into transcripts or views. */
  secret?: boolean;
  /** Paste is known only at run time (e.g. a certificate the CA returns later). */
  pasteAtRuntime?: boolean;
}

/** Facts the dry-run shows about a file that will be pasted. */
export interface PasteFileInfo {
  path: string;
  /** Present when the file exists at plan time. */
  sha256?: string;
  /** Certificate subject, when the file parses as a certificate. */
  subject?: string;
}

export interface RenderedCommand {
  /** The exact line the operator types (never contains CR, LF or other control characters). */
  line: string;
  /** Expected exchange after sending `line`, in order. */
  dialogue: DialogueEntry[];
  /** Per-command timeout in milliseconds (service restarts get long ones). */
  timeoutMs: number;
  /** Name under which the runner keeps this command's output (e.g. a CSR printed to the terminal). */
  capture?: string;
  /** A read-only guard: output matching `pattern` (multi-line regex) stops the step with `reason`. */
  refuseIf?: { pattern: string; reason: string };
}

export interface Action {
  /** Node name from the inventory (or "operator" for the operator's own machine). */
  target: string;
  /** Address the runner connects to; absent for gui/manual targets. */
  host?: string;
  platform?: Platform;
  /** For ios-config: lines are entered in configuration mode. */
  configMode?: boolean;
  /** Exact lines, in order; equals `exchanges.map(e => e.line)`. */
  commands: string[];
  exchanges: RenderedCommand[];
  /** Files pasted by this action's dialogues, with their fingerprints when known. */
  pasteFiles: PasteFileInfo[];
  /** IOS: `write memory` after the lines (the step asks for it). */
  saveConfig?: boolean;
  /** GUI text for this target, present only when it differs between the step's targets. */
  gui?: RenderedGui;
  /** The step's change as AXL requests to this publisher (the GUI path stays for people who prefer it). */
  axl?: AxlRequest[];
  axlEndpoint?: AxlEndpoint;
  /**
   * The step's change as requests to a product API other than AXL (Control Center Services SOAP,
   * Unity Connection CUPI REST); `plan --format json` lists them under `requests`.
   */
  requests?: ApiRequest[];
  apiEndpoint?: ApiEndpoint;
  /** CUPI (Unity Connection): the read-before-write task the requests above show, with its checked values. */
  cupiTask?: CupiTaskSpec;
  /** Checkpoint for this target, present only when it differs between the step's targets. */
  checkpoint?: RenderedCheckpoint;
  /** Back-out for this target, present only when it differs between the step's targets. */
  backout?: RenderedBackout;
}

/** One element of an AXL object, as written (XML text). */
export interface AxlField {
  name: string;
  value: string;
}

/** A write through AXL and the read-back that proves it (issue 21). */
export interface AxlRequest {
  /** AXL object type, e.g. PhoneSecurityProfile. */
  object: string;
  /** create: add unless the name exists (an existing one is compared, never overwritten); update: the object must exist; check: read back only, never written. */
  mode: 'create' | 'update' | 'check';
  /** The object's name for people: its key values joined by " / " (its `name` for most types). */
  name: string;
  /** The fields that identify it (get<Type> takes them), in order. */
  key: string[];
  /** Elements in the order of the type's sequence in AXLSoap.xsd, `name` included. */
  fields: AxlField[];
  /** Write operation: add<Type> or update<Type> (for a check, the read: get<Type>). */
  operation: string;
  /** Read-only operation that reads the object back: get<Type>. */
  readBack: string;
  /** One line for people: `addPhoneSecurityProfile name=… deviceSecurityMode=Encrypted …`. */
  readable: string;
  /** After a write, by name: reset<Type> (drops a trunk's calls) or apply<Type>. */
  after?: 'reset' | 'apply';
  /** Objects found at run time (list<Type>), updated in waves: `name` is then the selection, `fields` lack the name. */
  select?: AxlSelection;
}

/** A run-time selection of objects to update in waves (issue 21 bulk moves, S032/S033). */
export interface AxlSelection {
  /** Read-only listing: list<Type>, paged with skip/first. */
  list: string;
  /** searchCriteria elements, in the List…Req order. */
  criteria: AxlField[];
  /** Keep only these models (empty: all). */
  models: string[];
  waveSize: number;
  /** More matches than this stop the step before anything is written. */
  max: number;
}

/** The HTTP APIs besides AXL; each has its client under src/transport/<api>/ and a lab simulator. */
export type ApiName = 'controlcenter' | 'cupi';

/** One request to a product API, exactly as sent (method, path, body), and one line for people. */
export interface ApiRequest {
  api: ApiName;
  /** write: sent after a read shows it is needed (state in place is recorded, nothing sent); check: read only. */
  mode: 'write' | 'check';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path on the endpoint; a `{…}` part names an object found by a read at run time (e.g. a CUPI objectId). */
  path: string;
  /** The exact body (SOAP envelope, JSON), when there is one. */
  body?: string;
  /** One line for people: `soapDoServiceDeployment Deploy Cisco Certificate Enrollment Service on cucm-pub`. */
  readable: string;
  /**
   * What the request is about (a service's name, a CUPI object's name): a runner pairs a write
   * with the read of the same subject before it, and judges that read's answer by it.
   */
  subject?: string;
}

/** Where a node's API requests go (the node's HTTPS port; its certificate is pinned like AXL's). */
export interface ApiEndpoint {
  api: ApiName;
  host: string;
  port: number;
}

/** Where AXL requests go: the publisher's tomcat, with the schema version of its release. */
export interface AxlEndpoint {
  host: string;
  port: number;
  /** AXL schema version (namespace http://www.cisco.com/AXL/API/<version>), e.g. "15.0". */
  version: string;
}

export interface GuiField {
  field: string;
  value: string;
}

export interface RenderedGui {
  /** Navigation path, one element per menu level. */
  path: string[];
  fields: GuiField[];
  /** Free-form instructions that do not fit a field → value table. */
  notes: string[];
}

export interface VerifyExpectation {
  /** Verification command run on each target. */
  command: string;
  /** Name of a parser in src/verify that interprets the output. */
  parser: string;
  /** Parameters for the parser, already rendered for this inventory. */
  args: Record<string, string | string[]>;
}

/** One TLS probe of a checkpoint on one target (issue 22): where it connects and what it judges by. */
export interface TlsProbe {
  /** The node's address (its inventory ip, else its FQDN). */
  host: string;
  /** The port connected to (the inventory's tlsPorts override of the catalogue's port, if any). */
  port: number;
  /** SNI and the name the certificate must cover (the node's FQDN). */
  servername?: string;
  /** XMPP STARTTLS before the handshake (RFC 6120). */
  starttls?: 'xmpp-client' | 'xmpp-server';
  /** Certificate role judged as `collabsec cert check --for <role>`; without one: chain, names, validity, key. */
  role?: string;
}

/** One local file check of a checkpoint (issue 22), names rendered: see catalogue fileCheckSchema. */
export interface FileCheck {
  kind: 'key' | 'csr' | 'pkcs12';
  /** File name in the session work folder. */
  file: string;
  /** csr: the certificate role whose names (for this target) the CSR must carry. */
  role?: string;
  /** csr: the key it was made from; pkcs12: the key it must hold. */
  key?: string;
  /** pkcs12: the certificate it must hold. */
  cert?: string;
}

export interface RenderedCheckpoint {
  /** What the operator confirms when no automatic verification exists (or in addition). */
  question: string;
  /**
   * Automatic, read-only verification; absent when the checkpoint is an operator answer only. A
   * list when the catalogue repeats the read per element (`verify.each`): every read runs on the
   * target, in order, and every one must pass (read them with `verifications()`).
   */
  verify?: VerifyExpectation | VerifyExpectation[];
  /** Certificate check (issue 5): the product/certificate role to check an operator-supplied file against. */
  certificate?: string;
  /** With `certificate` at a CA-signing step: the CSR's file in the session work folder, or `ask` (the operator names it). */
  csr?: string;
  /** Local file checks (keys, CSRs, PKCS#12 bundles in the session work folder). */
  files?: FileCheck[];
  /** AXL read-back: each object written is read with get<Type> and compared field by field. */
  readBack?: { object: string; name: string; key: string[]; operation: string; expect: AxlField[]; select?: AxlSelection }[];
  /** TLS probes of this target's ports after the install or restart. */
  tls?: TlsProbe[];
  /** Read-only API requests that judge the result (Control Center Services: soapGetServiceStatus answers Started). */
  requests?: ApiRequest[];
  /** Where the checkpoint comes from: the chapter itself or a suggestion. */
  origin: 'source' | 'suggested';
  /** Why the operator answers it: what no interface collabsec uses can read (only without an automatic check). */
  why?: string;
}

export interface RenderedBackout {
  text: string[];
  commands: string[];
}

export interface PlannedStep {
  /** Stable outline id, e.g. "S022". */
  id: string;
  /** Stable slug, e.g. "cucm-mixed-mode-enable". */
  slug: string;
  title: string;
  /** Product id (see steps/products.yaml). */
  product: string;
  phase: string;
  kind: StepKind;
  /** What the step does and why (one or two sentences). */
  summary: string;
  /** Line references in the source chapter. */
  source?: string;
  disruptive: boolean;
  /** Services this step restarts (shown as a warning). */
  restarts: string[];
  warnings: string[];
  /** Ids of steps that must be verified before this one starts (only those present in the plan). */
  requires: string[];
  /** One per target node. */
  actions: Action[];
  gui?: RenderedGui;
  /** Off-box instructions (manual steps) or extra instructions. */
  instructions: string[];
  checkpoint: RenderedCheckpoint;
  backout?: RenderedBackout;
  /** The checkpoint's read is kept in the session under this name (before/after in the evidence pack). */
  baseline?: string;
}

export interface Plan {
  /** sha256 of the normalised inventory. */
  inventoryHash: string;
  /** sha256 of the loaded catalogue (steps + templates). */
  catalogueHash: string;
  title: string;
  /** Short facts about the inventory for the document header. */
  summary: { label: string; value: string }[];
  /**
   * The change record (inventory `change:`, flags laid over it) for the document's header. Not
   * part of planHash: it changes no step.
   */
  change?: ChangeRecord;
  steps: PlannedStep[];
}
