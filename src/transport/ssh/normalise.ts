// Output normalisation before any matching (cli-facts §1.1 "Line endings/escapes": VOS sends CRLF
// and bare CR, e.g. `admin:\r\n\radmin:`, plus ANSI sequences such as `\x1b[K` before the prompt
// and bold around paging prompts). Streaming: a chunk may end inside an escape sequence or
// between CR and LF, so that tail is held until the next chunk decides it.

// CSI (ESC [ params letter), OSC (ESC ] ... BEL/ST), and two-byte ESC sequences (ESC =, ESC >, ESC ( B...).
 
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPZc]/g;
// An incomplete escape at the very end of a chunk.
 
const PARTIAL_ESC = /\x1b(?:\[[0-9;?]*[ -/]*|\][^\x07\x1b]*|\x1b?|[()])?$/;

/** Pure, for complete text: strip ANSI, CRLF/CR → LF, drop other C0 controls except tab and BEL-free text. */
export function normalise(text: string): string {
  return (
    text
      .replace(ANSI, '')
      .replace(/\r\n?/g, '\n')
      // Backspaces, NULs and stray controls carry no meaning for matching or transcripts.
       
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
  );
}

export class StreamNormaliser {
  private held = '';

  push(chunk: string): string {
    let text = this.held + chunk;
    this.held = '';
    const esc = PARTIAL_ESC.exec(text);
    if (esc && esc[0].length > 0) {
      this.held = text.slice(esc.index);
      text = text.slice(0, esc.index);
    } else if (text.endsWith('\r')) {
      this.held = '\r';
      text = text.slice(0, -1);
    }
    return normalise(text);
  }

  end(): string {
    const rest = normalise(this.held);
    this.held = '';
    return rest;
  }
}
