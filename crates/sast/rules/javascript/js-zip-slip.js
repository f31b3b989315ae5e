zip.getEntries().forEach((entry) => {
  // ruleid: js-zip-slip
  const target = path.join(dest, entry.entryName);
  fs.writeFileSync(target, entry.getData());
});
// ok: js-zip-slip
const base = path.join(dest, "manifest.json");
