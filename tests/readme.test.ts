/**
 * The README and the docs hold up: every relative link and image resolves (anchors included), and
 * every `npm run` script they name exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const documents = ['README.md', 'demo-services/README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

const withoutCodeBlocks = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** Markdown `[text](target)` / `![alt](target)` and HTML `src="…"` / `href="…"` targets that stay in the repository. */
function relativeTargets(markdown: string): string[] {
  const text = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '');
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  return targets.filter((target) => !/^[a-z]+:/i.test(target));
}

/** GitHub's anchors for a document's headings. */
function anchors(markdown: string): Set<string> {
  const headings = [...withoutCodeBlocks(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!);
  return new Set(headings.map((heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')));
}

/** What a link to `target` from `document` fails to find, or undefined when it resolves. */
function brokenLink(document: string, target: string): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? join(root, document) : resolve(dirname(join(root, document)), decodeURI(path));
  if (!existsSync(file)) return `${target}: no ${relative(root, file)}`;
  if (anchor === undefined || statSync(file).isDirectory() || !file.endsWith('.md')) return undefined;
  return anchors(readFileSync(file, 'utf8')).has(anchor) ? undefined : `${target}: no heading #${anchor} in ${relative(root, file)}`;
}

/** The scripts `npm run X`, `npm start` and `npm test` name. */
function npmScripts(markdown: string): string[] {
  const named = [...markdown.matchAll(/npm run ([\w:-]*\w)/g)].map((match) => match[1]!);
  const builtIns = [...markdown.matchAll(/npm (start|test)\b/g)].map((match) => match[1]!);
  return [...new Set([...named, ...builtIns])];
}

describe.each(documents)('%s', (document) => {
  const markdown = readFileSync(join(root, document), 'utf8');

  it('has only relative links and images that resolve', () => {
    expect(relativeTargets(markdown).map((target) => brokenLink(document, target)).filter(Boolean)).toEqual([]);
  });

  it('names only npm scripts that package.json defines', () => {
    expect(npmScripts(markdown).filter((script) => !scripts.includes(script))).toEqual([]);
  });
});
