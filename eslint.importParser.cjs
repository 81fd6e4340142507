// The parser import-x reads every imported module with (for import-x/no-cycle's module graph).
// @typescript-eslint/parser would also build a scope manager for each module, which import-x
// throws away: it reads only the syntax tree and the visitor keys. The tree is the same one,
// from the same typescript-estree that @typescript-eslint/parser (typescript-eslint) runs.
'use strict';
const { parse } = require('@typescript-eslint/typescript-estree');
const { visitorKeys } = require('@typescript-eslint/visitor-keys');

module.exports = { parse, VisitorKeys: visitorKeys };
