/**
 * Renders the `.sql` templates in `ddl/` into the statements for one deployment shape:
 * a single server (plain MergeTree tables) or a cluster (`ON CLUSTER`, replicated `_local`
 * tables, and `Distributed` tables under the public names).
 *
 * Template syntax: `{{db}}`, `{{table}}`, `{{on_cluster}}`, `{{engine:Family}}`,
 * `{{ttl:expression}}`, `{{source:name}}` / `{{target:name}}` (tables a view reads and writes),
 * `{{>partial}}` (a file in ddl/partials), and `{{#fulltext}}…{{/fulltext}}` /
 * `{{^fulltext}}…{{/fulltext}}` for servers with and without `text` skip indexes.
 */
import { ddlText } from './ddlText.generated';
import type { SchemaObject } from './schema';

export type DdlOptions = {
  database: string;
  cluster?: string;
  /** 0 keeps data forever. */
  retentionDays: number;
  /** `text` skip indexes exist from ClickHouse 26.2 on. */
  fullText: boolean;
};

const localSuffix = '_local';

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}

/** The statements that create one schema object, in order. */
export function renderDdl(object: SchemaObject, options: DdlOptions): string[] {
  const template = expandPartials(ddlFile(object.name));
  const local = (name: string) => (options.cluster ? name + localSuffix : name);
  const onCluster = options.cluster ? `ON CLUSTER ${quoteIdent(options.cluster)}` : '';
  const statement = renderTemplate(template, {
    db: quoteIdent(options.database),
    table: quoteIdent(object.kind === 'table' ? local(object.name) : object.name),
    onCluster,
    engine: (family) => engineFor(family, options.cluster !== undefined),
    ttl: (expression) => (options.retentionDays > 0 ? `TTL ${expression} + toIntervalDay(${options.retentionDays})` : ''),
    related: (name) => quoteIdent(local(name)),
    fullText: options.fullText,
  });
  if (!options.cluster || object.kind !== 'table') return [statement];
  const distributed =
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(options.database)}.${quoteIdent(object.name)} ${onCluster} ` +
    `AS ${quoteIdent(options.database)}.${quoteIdent(local(object.name))} ` +
    `ENGINE = Distributed(${quoteIdent(options.cluster)}, ${quoteIdent(options.database)}, ` +
    `${quoteIdent(local(object.name))}, ${object.shardKey ?? 'rand()'})`;
  return [statement, distributed];
}

function engineFor(family: string, replicated: boolean): string {
  if (!replicated) return `${family}()`;
  return `Replicated${family}('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')`;
}

type TemplateValues = {
  db: string;
  table: string;
  onCluster: string;
  engine: (family: string) => string;
  ttl: (expression: string) => string;
  related: (name: string) => string;
  fullText: boolean;
};

/** A file under ddl/, by its path there without `.sql`. */
export function ddlFile(path: string): string {
  const text = ddlText[path];
  if (text === undefined) throw new Error(`no DDL file ddl/${path}.sql (run \`npx tsx scripts/bundleSql.ts\` after adding one)`);
  return text;
}

function expandPartials(template: string): string {
  return template.replace(/^\{\{>(\w+)\}\}\n/gm, (_match, name: string) =>
    ddlFile(`partials/${name}`),
  );
}

function renderTemplate(template: string, values: TemplateValues): string {
  return template
    .replace(/^--.*\n/gm, '')
    .replace(/\{\{#fulltext\}\}\n([\s\S]*?)\{\{\/fulltext\}\}\n/g, (_m, body: string) => (values.fullText ? body : ''))
    .replace(/\{\{\^fulltext\}\}\n([\s\S]*?)\{\{\/fulltext\}\}\n/g, (_m, body: string) => (values.fullText ? '' : body))
    .replace(/\{\{(\w+)(?::([^}]*))?\}\}/g, (match, key: string, arg?: string) => {
      switch (key) {
        case 'db':
          return values.db;
        case 'table':
          return values.table;
        case 'on_cluster':
          return values.onCluster;
        case 'engine':
          return values.engine(arg ?? 'MergeTree');
        case 'ttl':
          return values.ttl(arg ?? '');
        case 'source':
        case 'target':
          return values.related(arg ?? '');
        default:
          throw new Error(`unknown DDL template placeholder ${match}`);
      }
    })
    .replace(/\n{2,}/g, '\n')
    .trim();
}
