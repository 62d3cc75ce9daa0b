// `require('redwing/ioredis')`: the client class itself, as `require('ioredis')` and
// `require('ioredis-mock')` return theirs, with the module's other exports (`default`, `Redis`,
// `ReplyError`, `Pipeline`…) as its properties. Only the CommonJS build has this entry; an ES
// module imports `index.js`.

import ioredis = require('./index.js')

export = Object.assign(ioredis.Redis, ioredis)
