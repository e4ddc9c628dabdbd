import type { DataSource } from 'typeorm';
import { craftedJpeg } from '../../../../test/support/crafted-images';
import { AddPhotoCommand, MAX_PHOTO_BYTES, PhotoRejected } from './add-photo.command';
import { AddPhotoHandler } from './add-photo.handler';

/** The bytes are judged before any transaction opens; the one this fake would open records itself. */
function handler() {
  const opened: string[] = [];
  const dataSource = { transaction: async () => void opened.push('transaction') } as unknown as DataSource;
  return { photos: new AddPhotoHandler(dataSource, null as never), opened };
}
const send = (bytes: Buffer) => new AddPhotoCommand('ADN-261122-ABCDEF', 'AAAA-BBBB-CCCC', bytes, null);

describe('AddPhotoHandler: the bytes', () => {
  it.each<[string, Buffer, PhotoRejected['reason']]>([
    ['a file over the size limit', Buffer.concat([craftedJpeg(), Buffer.alloc(MAX_PHOTO_BYTES)]), 'too_large'],
    ['a file that is no JPEG, PNG or WebP', Buffer.from('%PDF-1.7 not an image at all'), 'unsupported_type'],
    ['a JPEG cut off after its header', craftedJpeg().subarray(0, 40), 'malformed'],
  ])('refuses %s without touching the database', async (_name, bytes, reason) => {
    const { photos, opened } = handler();
    await expect(photos.execute(send(bytes))).rejects.toMatchObject({ name: 'PhotoRejected', reason });
    expect(opened).toEqual([]);
  });

  it('takes a whole image on to the complaint’s transaction', async () => {
    const { photos, opened } = handler();
    await photos.execute(send(craftedJpeg()));
    expect(opened).toEqual(['transaction']);
  });
});
