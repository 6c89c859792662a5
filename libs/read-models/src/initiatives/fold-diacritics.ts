/**
 * Vietnamese search text: lower case without diacritics ("Sáng kiến" → "sang kien"). NFD splits
 * most marks off their letters; đ/Đ is a letter of its own and needs mapping by hand.
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
