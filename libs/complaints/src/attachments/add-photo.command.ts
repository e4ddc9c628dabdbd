import { Command } from '@nestjs/cqrs';
import type { PhotoMediaType } from './image-metadata';

/** The resident's limits for photos (413 beyond them). */
export const MAX_PHOTOS_PER_COMPLAINT = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export interface PhotoSummary {
  id: string;
  media_type: PhotoMediaType;
  size: number;
  sha256: string;
  created_at: string;
}

export interface AddPhotoResult {
  photo: PhotoSummary;
  /** true when the same image was already attached (a retried upload): nothing was written */
  existing: boolean;
}

/** A resident attaches a photo to their complaint, proving it is theirs with the access code. */
export class AddPhotoCommand extends Command<AddPhotoResult> {
  constructor(
    readonly trackingNumber: string,
    readonly accessCode: string,
    readonly bytes: Buffer,
    readonly requestId: string | null,
  ) {
    super();
  }
}

/** Why a photo was refused; the HTTP layer maps each reason to its status (415, 413, 404, 409). */
export class PhotoRejected extends Error {
  constructor(
    readonly reason: 'unsupported_type' | 'malformed' | 'too_large' | 'too_many' | 'not_found' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'PhotoRejected';
  }
}
