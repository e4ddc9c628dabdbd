import { craftedJpeg } from '../support/crafted-images';
import { call, complaintBody, Harness, startHarness } from '../support/harness';

/**
 * servicerequestupdates finds complaints by their last change (updated_at), but adding a photo did
 * not move it: a photo added after everything else was missing from every window that began after
 * the complaint's previous change.
 */
describe('servicerequestupdates and a photo that is the last change', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the photo in a window that starts after every earlier change', async () => {
    const filed = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ confidential: false }) });
    expect(filed.status).toBe(201);
    const { tracking_number: tn, access_code: code } = filed.body;
    await h.quiet();
    // Windows hold to the second: this one starts in a second after the assignment's, and before the photo.
    await new Promise((r) => setTimeout(r, 1100));
    const start = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const photo = await h.api.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/api/v1/complaints/${tn}/photos`,
      headers: { 'x-access-code': code, 'content-type': 'image/jpeg' },
      payload: craftedJpeg(),
    });
    expect(photo.statusCode).toBe(201);
    const feed = await call(h, 'GET', `/open311/v2/servicerequestupdates.json?jurisdiction_id=36.73&start_date=${encodeURIComponent(start)}`);
    expect(feed.status).toBe(200);
    expect((feed.body as { service_request_id: string; description: string; status: string }[]).filter((u) => u.service_request_id === tn)).toEqual([
      expect.objectContaining({ description: 'Foto ditambahkan.', status: 'open', media_url: '' }),
    ]);
  });
});
