/** The collection's categories (the group's notes group papers by task: 이미지 분류, 이미지 생성, ...). */

/** A category of papers: folder slug under notebooks/, Korean and English names. */
export interface Category {
  /** Folder name under notebooks/, e.g. "image-classification". */
  slug: string;
  /** Korean name, e.g. "이미지 분류". */
  ko: string;
  /** English name, e.g. "Image Classification". */
  en: string;
}

/** The categories the group's notes start with; `new-paper` can add more. */
export const KNOWN_CATEGORIES: readonly Category[] = [
  { slug: "image-classification", ko: "이미지 분류", en: "Image Classification" },
  { slug: "image-generation", ko: "이미지 생성", en: "Image Generation" },
  { slug: "object-detection", ko: "객체 탐지", en: "Object Detection" },
  { slug: "natural-language-processing", ko: "자연어 처리", en: "Natural Language Processing" },
];

/** A URL- and file-system-safe slug: lowercase ASCII letters, digits and single hyphens. */
export function slugify(text: string): string {
  return text.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** Finds a known category by slug, English or Korean name (case-insensitive), or undefined. */
export function findCategory(name: string, known: readonly Category[] = KNOWN_CATEGORIES): Category | undefined {
  const key = name.trim().toLowerCase();
  return known.find((c) => c.slug === key || c.en.toLowerCase() === key || c.ko === name.trim());
}
