// The repo compiles with moduleResolution node10, which doesn't read a package's "exports"; Node
// does, and resolves this subpath at run time to dist/contrib/pg_trgm.cjs. This gives it its types.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  export { pg_trgm } from '@electric-sql/pglite/dist/contrib/pg_trgm';
}
