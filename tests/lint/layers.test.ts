import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

/** The messages of the layer rule for `code` as if it were the file at `filePath`. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the layer rules (eslint.config.js)', () => {
  it.each([
    ['components/planted/Planted.tsx', "import { listServices } from '@/lib/queries/services';", /components\/ reads data through the API/],
    ['components/planted/Planted.tsx', "import type { SloDefinition } from '../../lib/slo/definitions';", /components\/ reads data through the API/],
    ['components/planted/Planted.tsx', "import { table } from '@/lib/clickhouse/selectRows';", /components\/ reads data through the API/],
    ['lib/planted.ts', "import { startCollector } from '../collector/collector';", /lib\/ is the shared core/],
    ['lib/queries/planted.ts', "import { Pipeline } from '../../collector/pipeline';", /lib\/ is the shared core/],
    ['lib/otlp/decode/planted.ts', "import { jsonRoute } from '@/app/api/_shared/handle';", /lib\/ is the shared core/],
    ['lib/queries/planted.ts', "import { getWindowCounts } from '../slo/sloCounts';", /lib\/queries may not import lib\/slo/],
    ['lib/contract/planted.ts', "import { selectRows } from '../clickhouse/selectRows';", /lib\/contract holds the API response types/],
    ['lib/contract/planted.ts', "import { z } from 'zod';", /no zod/],
    ['lib/jaeger/planted.ts', "import { sql } from '@/lib/clickhouse/sql';", /lib\/jaeger translates what lib\/queries answers/],
    ['lib/jaeger/planted.ts', "import { selectRows } from '../clickhouse/selectRows';", /lib\/jaeger translates what lib\/queries answers/],
    ['lib/jaeger/planted.ts', "import { startJaegerQuery } from '../../server/jaegerServer';", /lib\/ is the shared core/],
    ['demo-services/planted/index.ts', "import { ProtoReader } from '../../lib/otlp/decode/protoReader';", /may not import Faultline code/],
  ])('refuse in %s: %s', async (filePath, code, message) => {
    expect(await layerErrors(filePath, `${code}\nexport const planted = 1;\n`)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['components/planted/Planted.tsx', "import type { ServiceSummary } from '@/lib/contract/services';"],
    ['lib/slo/planted.ts', "import { selectRows } from '../clickhouse/selectRows';"],
    ['demo-services/planted/index.ts', "import { config } from '../shared/config';"],
    ['collector/planted.ts', "import { openStore } from '../lib/clickhouse/store';"],
    ['lib/jaeger/planted.ts', "import { searchTraces } from '../queries/traceSearch';"],
  ])('allow in %s: %s', async (filePath, code) => {
    expect(await layerErrors(filePath, `${code}\nexport const planted = 1;\n`)).toEqual([]);
  });
});
