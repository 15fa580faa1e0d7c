// @vitest-environment node
/**
 * The IPC contract between this UI and the Tauri shell, read from the sources themselves:
 * the commands `src-tauri/src/main.rs` registers in `tauri::generate_handler![…]`, the
 * `#[tauri::command]` functions in `src-tauri/src/*.rs` (their names and parameters), and
 * the calls in `ui/src/ipc/index.ts` (`call<T>('name', { … })`, the wrapper around `invoke`).
 *
 * It fails when the UI calls a command the shell does not register; when a registered
 * command is neither called nor on NOT_CALLED (with the reason); when a registered path is no
 * `#[tauri::command]` function, or such a function is not registered; when the UI passes an
 * argument the command has no parameter for; and when it leaves out a parameter that is not
 * an `Option` (Tauri fills a missing `Option` with `None`, and fails on any other).
 *
 * Argument keys: Tauri 2 turns a snake_case Rust parameter into a camelCase key
 * (`owner_code` → `ownerCode`) unless the command says `#[tauri::command(rename_all =
 * "snake_case")]`; both are handled. Parameters Tauri injects (`State<…>`, `AppHandle`,
 * `Window`, `WebviewWindow`, `Webview`, `Request`, `CommandScope`, `GlobalScope`) are not
 * arguments. The parsers are simple scanners; the tests at the end feed them inline text so
 * that each can be seen to fail.
 */
import { describe, expect, it } from 'vitest'

/**
 * Node's fs, typed here: the UI's tsconfig has no Node types. The Rust files lie outside the
 * UI's root, where Vite (and so `?raw` imports) may not read, so they are read from disk.
 */
interface Fs {
  readFileSync(path: URL, encoding: 'utf8'): string
  readdirSync(path: URL): string[]
}
const fs = (await import(/* @vite-ignore */ `node:${'fs'}`)) as Fs
const RUST_DIR = new URL('../../../src-tauri/src/', import.meta.url)
/** The `.rs` files of src-tauri/src by name (`main.rs`, `commands.rs`, …). */
const rustSources: Record<string, string> = Object.fromEntries(
  fs
    .readdirSync(RUST_DIR)
    .filter((name) => name.endsWith('.rs'))
    .map((name) => [name, fs.readFileSync(new URL(name, RUST_DIR), 'utf8')]),
)
const uiSources = import.meta.glob<string>(['../**/*.ts', '../**/*.vue', '!../**/*.spec.ts', '!../__tests__/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
})
/** index.ts as the glob names it (relative to this file, which sits beside it). */
const INDEX = './index.ts'

/**
 * Registered commands the UI does not call, each with the reason. An entry that is called,
 * or no longer registered, fails the test too, so the list stays true.
 */
const NOT_CALLED: Record<string, string> = {}

/** Parameter types Tauri supplies itself; the UI never passes them. */
const INJECTED = ['State', 'AppHandle', 'Window', 'WebviewWindow', 'Webview', 'Request', 'CommandScope', 'GlobalScope']

// ---------------------------------------------------------------------------------------------
// The parsers.

interface Registered {
  /** `commands::app_info` as written. */
  path: string
  /** The module file it names (`commands`), or '' for a bare name. */
  module: string
  name: string
}

interface Param {
  name: string
  type: string
  optional: boolean
}

interface RustCommand {
  name: string
  /** The parameters the UI passes, injected ones left out. */
  params: Param[]
  renameAll: 'camelCase' | 'snake_case'
}

interface UiCall {
  name: string
  /** The keys of the argument object; null when the second argument is not an object literal. */
  keys: string[] | null
  line: number
}

/**
 * Blanks `//` and `/* … *\/` comments, the contents of string literals and char literals
 * (`'"'`), keeping every character's position, so an index in the result is one in the source.
 */
function stripRust(src: string): string {
  let out = ''
  let i = 0
  while (i < src.length) {
    const two = src.slice(i, i + 2)
    const char = /^'(\\.[^']*|[^\\'])'/.exec(src.slice(i, i + 12))
    if (two === '//') {
      const end = src.indexOf('\n', i)
      const stop = end < 0 ? src.length : end
      out += ' '.repeat(stop - i)
      i = stop
    } else if (char) {
      out += "'" + ' '.repeat(char[0].length - 2) + "'"
      i += char[0].length
    } else if (two === '/*') {
      const end = src.indexOf('*/', i + 2)
      const stop = end < 0 ? src.length : end + 2
      out += src.slice(i, stop).replace(/[^\n]/g, ' ')
      i = stop
    } else if (src[i] === '"') {
      let j = i + 1
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1
      out += '"' + src.slice(i + 1, j).replace(/[^\n]/g, ' ') + '"'
      i = j + 1
    } else {
      out += src[i++]
    }
  }
  return out
}

/** Splits `text` at commas that are not nested in (), [], {} or <>. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if ('([{<'.includes(c)) depth++
    else if (')]}'.includes(c) || (c === '>' && text[i - 1] !== '-' && text[i - 1] !== '=')) depth--
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** The index of the bracket closing the one at `open`. */
function closing(text: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' }
  const want = pairs[text[open]]
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++
    else if (text[i] === want && !(want === '>' && text[i - 1] === '-')) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/** The commands in `tauri::generate_handler![…]` of main.rs. */
function registeredCommands(mainRs: string): Registered[] {
  const code = stripRust(mainRs)
  const at = code.search(/generate_handler!\s*\[/)
  if (at < 0) throw new Error('no tauri::generate_handler![…] in main.rs')
  const open = code.indexOf('[', at)
  const end = closing(code, open)
  return splitTopLevel(code.slice(open + 1, end)).map((path) => {
    const segments = path.split('::').map((s) => s.trim())
    const name = segments[segments.length - 1]
    return { path: segments.join('::'), module: segments.length > 1 ? segments[segments.length - 2] : '', name }
  })
}

/** The `#[tauri::command]` functions of one Rust file. */
function rustCommands(src: string): RustCommand[] {
  const code = stripRust(src)
  const commands: RustCommand[] = []
  const attribute = /#\[\s*(?:tauri::)?command\s*(\(([^)\]]*)\))?\s*\]/g
  for (const m of code.matchAll(attribute)) {
    const renameAll = /rename_all\s*=\s*"/.test(m[2] ?? '')
      ? // The value was emptied with the other literals: read it from the source.
        /rename_all\s*=\s*"snake_case"/.test(src.slice(m.index, m.index + m[0].length))
        ? 'snake_case'
        : 'camelCase'
      : 'camelCase'
    const rest = code.slice(m.index + m[0].length)
    const fn = /^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(\w+)\s*(<[^(]*>)?\s*\(/.exec(rest)
    if (!fn) throw new Error(`#[tauri::command] not followed by a fn: ${rest.slice(0, 60)}`)
    const open = fn.index + fn[0].length - 1
    const list = rest.slice(open + 1, closing(rest, open))
    const params = splitTopLevel(list).flatMap((p): Param[] => {
      const colon = p.indexOf(':')
      const name = p.slice(0, colon).replace(/^mut\s+/, '').trim()
      const type = p.slice(colon + 1).trim()
      const head = type.replace(/^&\s*('\w+\s+)?(mut\s+)?/, '').split('<')[0].split('::').pop()!.trim()
      if (INJECTED.includes(head)) return []
      return [{ name, type, optional: /^(std::option::|core::option::)?Option\s*</.test(type) }]
    })
    commands.push({ name: fn[1], params, renameAll })
  }
  return commands
}

/** The key Tauri expects for a parameter. */
function argKey(param: string, renameAll: RustCommand['renameAll']): string {
  if (renameAll === 'snake_case') return param
  return param.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** Every `call('name', {…})` / `invoke<T>("name", …)` in a TypeScript source. */
function uiCalls(src: string, callees = ['call', 'invoke']): { calls: UiCall[]; dynamic: string[] } {
  const calls: UiCall[] = []
  const dynamic: string[] = []
  const start = new RegExp(`\\b(${callees.join('|')})\\s*(?=[<(])`, 'g')
  for (const m of src.matchAll(start)) {
    let i = m.index + m[0].length
    if (src[i] === '<') i = closing(src, i) + 1
    while (/\s/.test(src[i] ?? '')) i++
    if (src[i] !== '(') continue
    const end = closing(src, i)
    const args = splitTopLevel(src.slice(i + 1, end))
    const line = src.slice(0, m.index).split('\n').length
    const name = /^(['"`])(\w+)\1$/.exec(args[0] ?? '')
    // A definition (`function call<T>(command: string…`) is no call: its first part has a type.
    if (/^\w+\s*\??:/.test(args[0] ?? '')) continue
    if (!name) {
      dynamic.push(`${m[1]}(${args[0] ?? ''}) at line ${line}`)
      continue
    }
    let keys: string[] | null = []
    if (args.length > 1) {
      const obj = args[1]
      keys = obj.startsWith('{') && obj.endsWith('}')
        ? splitTopLevel(obj.slice(1, -1)).map((entry) => {
            const key = /^(?:(['"])(\w+)\1|(\w+))\s*(?::|$)/.exec(entry)
            return key ? (key[2] ?? key[3]) : `(unreadable: ${entry})`
          })
        : null
    }
    calls.push({ name: name[2], keys, line })
  }
  return { calls, dynamic }
}

/** Every way the UI and the shell disagree, as readable lines. */
function mismatches(
  registered: Registered[],
  commandsByModule: Record<string, RustCommand[]>,
  calls: UiCall[],
  notCalled: Record<string, string>,
): string[] {
  const problems: string[] = []
  const registeredNames = new Set(registered.map((r) => r.name))
  const commands = new Map<string, RustCommand>()
  for (const r of registered) {
    const found = (commandsByModule[r.module || 'main'] ?? []).find((c) => c.name === r.name)
    if (found) commands.set(r.name, found)
    else problems.push(`${r.path} is registered but is no #[tauri::command] fn in ${r.module || 'main'}.rs`)
  }
  for (const [module, list] of Object.entries(commandsByModule)) {
    for (const c of list) {
      if (!registered.some((r) => r.name === c.name && (r.module || 'main') === module)) {
        problems.push(`${module}::${c.name} is a #[tauri::command] but is not in generate_handler![…]`)
      }
    }
  }
  const called = new Set(calls.map((c) => c.name))
  for (const call of calls) {
    const where = `index.ts:${call.line} ${call.name}`
    if (!registeredNames.has(call.name)) {
      problems.push(`${where}: the UI calls a command main.rs does not register`)
      continue
    }
    const command = commands.get(call.name)
    if (!command) continue
    if (call.keys === null) {
      problems.push(`${where}: the arguments are not an object literal, so they cannot be checked`)
      continue
    }
    const expected = command.params.map((p) => argKey(p.name, command.renameAll))
    for (const key of call.keys) {
      if (!expected.includes(key)) {
        problems.push(`${where}: passes \`${key}\`, which is no parameter (expected one of: ${expected.join(', ') || 'none'})`)
      }
    }
    for (const p of command.params) {
      const key = argKey(p.name, command.renameAll)
      if (!p.optional && !call.keys.includes(key)) {
        problems.push(`${where}: leaves out \`${key}\` (the required parameter \`${p.name}: ${p.type}\`)`)
      }
    }
  }
  for (const r of registered) {
    if (!called.has(r.name) && !(r.name in notCalled)) {
      problems.push(`${r.path} is registered but the UI never calls it (call it, or add it to NOT_CALLED with the reason)`)
    }
  }
  for (const name of Object.keys(notCalled)) {
    if (called.has(name)) problems.push(`NOT_CALLED lists ${name}, which the UI calls`)
    if (!registeredNames.has(name)) problems.push(`NOT_CALLED lists ${name}, which main.rs does not register`)
  }
  return problems
}

// ---------------------------------------------------------------------------------------------
// The contract of the real sources.

function rustFile(name: string): string {
  const src = rustSources[name]
  if (src === undefined) throw new Error(`no ${name} in ${RUST_DIR.pathname}; found ${Object.keys(rustSources).join(', ')}`)
  return src
}

function commandsByModule(): Record<string, RustCommand[]> {
  const out: Record<string, RustCommand[]> = {}
  for (const [path, src] of Object.entries(rustSources)) {
    const module = path.replace(/\.rs$/, '')
    const list = rustCommands(src)
    if (list.length > 0) out[module] = list
  }
  return out
}

describe('the IPC contract', () => {
  const registered = registeredCommands(rustFile('main.rs'))
  const index = uiSources[INDEX]
  const { calls, dynamic } = uiCalls(index)

  it('reads the sources', () => {
    expect(index, `${INDEX} not found among ${Object.keys(uiSources).length} UI files`).toBeTypeOf('string')
    expect(registered.length).toBeGreaterThan(20)
    expect(calls.length).toBeGreaterThan(20)
  })

  it('has the UI and the shell agree on every command and argument', () => {
    const problems = mismatches(registered, commandsByModule(), calls, NOT_CALLED)
    expect(problems, problems.join('\n')).toEqual([])
  })

  it('reaches the backend only through the call wrapper in index.ts', () => {
    // The one call with a computed name is the wrapper's own `invoke<T>(command, args)`.
    expect(dynamic).toHaveLength(1)
    expect(dynamic[0]).toMatch(/^invoke\(command\)/)
    expect(index).toMatch(/async function call<T>\(command: string, args\?: Record<string, unknown>\)/)
    const others = Object.entries(uiSources)
      .filter(([path, src]) => path !== INDEX && /@tauri-apps\/api\/core['"]/.test(src) && /\binvoke\b/.test(src))
      .map(([path]) => path)
    expect(others, 'files that invoke commands themselves').toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// The parsers on inline text.

describe('the contract parsers', () => {
  const main = `
    fn main() {
        tauri::Builder::default()
            .invoke_handler(tauri::generate_handler![
                commands::save_note, // the editor
                // commands::old_one,
                other::ping,
            ])
            .run(ctx);
    }`
  const commandsRs = `
    /// Saves a note.
    #[tauri::command]
    pub async fn save_note(
        app: AppHandle,
        state: State<'_, AppState>,
        note_id: String,
        body: Option<String>,
        window: tauri::Window,
    ) -> Answer<Note> { todo!() }

    #[tauri::command(rename_all = "snake_case")]
    pub fn list_notes(state: tauri::State<'_, AppState>, page_size: u32, filter: Vec<(String, u8)>) -> Vec<Note> { vec![] }

    fn helper(x: u8) {}
  `
  const otherRs = '#[tauri::command]\npub fn ping() {}\n'
  const ui = `
    async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
      return await invoke<T>(command, args)
    }
    export const api = {
      save: (noteId: string) => call<Note | null>('save_note', { noteId, body: null }),
      list: () => call<Array<Note>>("list_notes", { page_size: 20, 'filter': [] }),
      ping: () => invoke('ping'),
    }`

  it('reads generate_handler!, leaving out comments', () => {
    expect(registeredCommands(main).map((r) => r.path)).toEqual(['commands::save_note', 'other::ping'])
    expect(() => registeredCommands('fn main() {}')).toThrow()
  })

  it('reads the commands and their parameters, leaving out injected ones', () => {
    const [save, list] = rustCommands(commandsRs)
    expect(save).toEqual({
      name: 'save_note',
      renameAll: 'camelCase',
      params: [
        { name: 'note_id', type: 'String', optional: false },
        { name: 'body', type: 'Option<String>', optional: true },
      ],
    })
    expect(list.renameAll).toBe('snake_case')
    expect(list.params.map((p) => p.name)).toEqual(['page_size', 'filter'])
    expect(rustCommands(commandsRs)).toHaveLength(2)
    expect(argKey('owner_code', 'camelCase')).toBe('ownerCode')
    expect(argKey('owner_code', 'snake_case')).toBe('owner_code')
  })

  it('reads the calls and their argument keys', () => {
    const { calls, dynamic } = uiCalls(ui)
    expect(calls.map((c) => [c.name, c.keys])).toEqual([
      ['save_note', ['noteId', 'body']],
      ['list_notes', ['page_size', 'filter']],
      ['ping', []],
    ])
    expect(dynamic).toEqual(['invoke(command) at line 3'])
  })

  it('agrees when all matches, and names each kind of mismatch', () => {
    const registered = registeredCommands(main)
    const byModule = { commands: rustCommands(commandsRs), other: rustCommands(otherRs) }
    const { calls } = uiCalls(ui)
    // list_notes is a command but not registered.
    expect(mismatches(registered, byModule, calls, {})).toEqual([
      'commands::list_notes is a #[tauri::command] but is not in generate_handler![…]',
      'index.ts:7 list_notes: the UI calls a command main.rs does not register',
    ])
    const all = registeredCommands(main.replace('other::ping,', 'other::ping, commands::list_notes,'))
    expect(mismatches(all, byModule, calls, {})).toEqual([])

    const wrong = uiCalls(`
      call('save_note', { note_id: 'x' })
      call('list_notes', { pageSize: 20, filter: [] })
      call('unknown_cmd')`).calls
    expect(mismatches(all, byModule, wrong, { ping: 'called by the shell itself' })).toEqual([
      'index.ts:2 save_note: passes `note_id`, which is no parameter (expected one of: noteId, body)',
      'index.ts:2 save_note: leaves out `noteId` (the required parameter `note_id: String`)',
      'index.ts:3 list_notes: passes `pageSize`, which is no parameter (expected one of: page_size, filter)',
      'index.ts:3 list_notes: leaves out `page_size` (the required parameter `page_size: u32`)',
      'index.ts:4 unknown_cmd: the UI calls a command main.rs does not register',
    ])
    const notCalled = mismatches(all, byModule, uiCalls("call('ping')").calls, { ping: 'stale', gone: 'stale' })
    expect(notCalled).toEqual([
      'commands::save_note is registered but the UI never calls it (call it, or add it to NOT_CALLED with the reason)',
      'commands::list_notes is registered but the UI never calls it (call it, or add it to NOT_CALLED with the reason)',
      'NOT_CALLED lists ping, which the UI calls',
      'NOT_CALLED lists gone, which main.rs does not register',
    ])
    const missing = mismatches(registeredCommands(main.replace('other::ping', 'other::pong')), byModule, calls, {})
    expect(missing).toContain('other::pong is registered but is no #[tauri::command] fn in other.rs')
  })
})
