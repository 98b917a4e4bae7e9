// Verification parsers are pure: (device output, rendered args) → verdict with human details.
// The executor runs the command; the catalogue names the parser (VerifyExpectation.parser).
export interface ParseResult {
  ok: boolean;
  details: string[];
}

export type ParserArgs = Record<string, string | string[]>;
export type Parser = (output: string, args: ParserArgs) => ParseResult;

/** One or many values of an argument, as a list (absent → []). */
export function list(args: ParserArgs, name: string): string[] {
  const v = args[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

export function one(args: ParserArgs, name: string): string | undefined {
  return list(args, name)[0];
}

/** Device output without ANSI/CR noise (the transport normalises already; parsers accept raw captures too). */
export function lines(output: string): string[] {
   
  return output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n?/g, '\n').split('\n');
}
