// Preloaded with `node --require` by bench/build: ends the process the first time anything
// reads JUJU_DISPATCH_PATH, i.e. when the charm (or the framework's main, called from the
// charm's last line) starts handling the event: everything the bundle loads before that
// has been loaded.
'use strict';
const env = process.env;
process.env = new Proxy(env, {
  get(target, key) {
    if (key === 'JUJU_DISPATCH_PATH') process.exit(0);
    return Reflect.get(target, key);
  },
});
