/**
 * Every user-facing format in one place: figures, money, changes, dates, period names and labels.
 * Pages, snapshots, mail and the print call these; CSV files and the JSON API keep raw values.
 */
export * from './numbers';
export * from './dates';
export * from './words';
