// The workspace installs Express 4 and Koa 2 under aliases (`express4`, `koa2`) with no
// types of their own; the contract suite only uses the API both majors share, so the
// Express 5 and Koa 3 types describe them well enough.
declare module 'express4' {
  import express = require('express');
  export = express;
}

declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
