/* Entity classes announced by each lib's module at definition time, read once when the data source starts. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const entities = new Set<Function>();

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function registerEntities(list: Function[]): void {
  for (const entity of list) entities.add(entity);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function registeredEntities(): Function[] {
  return [...entities];
}
