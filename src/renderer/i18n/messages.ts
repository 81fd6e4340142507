/**
 * The shape another language must give: every key of English, nothing more
 * (an extra key is an excess property), each a string.
 */
export type Messages<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : Messages<T[K]>;
};
