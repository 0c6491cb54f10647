// Loads extension.js with a stand-in for the `vscode` module (which only VS Code
// provides) and checks it exports activate and deactivate: `node check-load.js`.
const Module = require("module");
// Every name of the stand-in is itself a stand-in, callable and extendable: the client
// library subclasses vscode's classes as it loads.
const standIn = new Proxy(function () {}, {
  get: (target, key) => (key === "prototype" || typeof key === "symbol" ? target[key] : standIn),
  construct: () => ({}),
  apply: () => standIn,
});
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "vscode" ? standIn : load.call(this, request, ...rest);
};
const extension = require("./extension.js");
for (const name of ["activate", "deactivate"]) {
  if (typeof extension[name] !== "function") throw new Error(`extension.js exports no ${name}`);
}
console.log("extension.js loads: activate, deactivate");
