import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Expected resolution effort, following the usual public-complaint handling classes: `ringan`
 * (a quick fix), `normatif` (answered by applying rules and procedures), `tanpa_pemeriksaan`
 * (needs action but no investigation), `dengan_pemeriksaan` (needs an investigation).
 */
export const RESOLUTION_CLASSES = ['ringan', 'normatif', 'tanpa_pemeriksaan', 'dengan_pemeriksaan'] as const;
export type ResolutionClass = (typeof RESOLUTION_CLASSES)[number];

/**
 * What a complaint is about: the service directory (an Open311 "service"). It lives in the
 * directory because complaints must reference it; who handles each category is `routing`'s.
 */
@Entity('category')
export class CategoryEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column({ name: 'group', type: 'text' })
  group: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn: string;

  @Column({ name: 'resolution_class', type: 'text' })
  resolutionClass: ResolutionClass;

  /** complaints about an official's conduct: always anonymous and confidential */
  @Column({ name: 'about_official', type: 'boolean', default: false })
  aboutOfficial: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
