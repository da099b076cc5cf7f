import { describe, expect, it } from 'vitest';
import { draftFromWebhook, webhooksFromDrafts } from './webhookDraft';

describe('the webhook form’s drafts', () => {
  it('shows headers one Name: value a line and reads them back', () => {
    const webhook = { url: 'https://hooks.example/a', headers: { authorization: 'Bearer a:b', 'x-team': 'payments' } };
    const draft = draftFromWebhook(webhook);
    expect(draft.headers).toBe('authorization: Bearer a:b\nx-team: payments');
    expect(webhooksFromDrafts([draft])).toEqual({ webhooks: [webhook] });
  });

  it('sends a webhook without headers as just its URL', () => {
    expect(webhooksFromDrafts([{ url: ' http://127.0.0.1:9/x ', headers: '\n' }])).toEqual({ webhooks: [{ url: 'http://127.0.0.1:9/x' }] });
  });

  it('names the headers of the webhook with a line that is not Name: value', () => {
    expect(webhooksFromDrafts([{ url: 'http://a', headers: '' }, { url: 'http://b', headers: 'authorization Bearer x' }])).toEqual({
      field: 'webhooks[1].headers',
      error: '“authorization Bearer x” is not a Name: value line',
    });
  });
});
