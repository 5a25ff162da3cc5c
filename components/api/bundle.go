package api

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Entry files a bundle's handler may live in, at its top level: Lambda's
// Node.js runtimes load index.handler from any of them.
var entryFiles = []string{"index.js", "index.mjs", "index.cjs"}

// exportsHandler matches the ways an ES module or a CommonJS file exports a
// function named handler.
var exportsHandler = regexp.MustCompile(`export\s+(async\s+)?function\s+handler\b|export\s+(const|let|var)\s+handler\b|` +
	`export\s*\{[^}]*\bhandler\b[^}]*\}|exports\.handler\s*=|module\.exports\s*=\s*\{[^}]*\bhandler\b|` +
	// bundlers' CommonJS output: esbuild's __export(x, { handler: ... }),
	// webpack's __webpack_require__.d(exports, { handler: ... }),
	// TypeScript's Object.defineProperty(exports, "handler", ...)
	`__export\([^)]*\{[^}]*\bhandler\s*:|\.d\([^)]*\{[^}]*\bhandler\s*:|defineProperty\(\s*exports\s*,\s*["']handler["']`)

// maxEntryBytes bounds how much of an entry file is read to find the
// export: Lambda's limit on unzipped code.
const maxEntryBytes = 250 << 20

// CheckBundle says what is wrong with a bundle, or nil. path is relative to
// root, the project folder (where Pulumi.yaml is), and must stay inside it;
// it names a .zip archive or a folder whose top level holds index.mjs or
// index.js exporting handler.
func CheckBundle(root, path string) error {
	abs, err := resolveBundle(root, path)
	if err != nil {
		return err
	}
	info, err := os.Stat(abs)
	switch {
	case err != nil:
		return fmt.Errorf("not found in the project folder %s", root)
	case info.IsDir():
		return checkFolder(abs)
	case strings.HasSuffix(path, ".zip"):
		return checkZip(abs)
	default:
		return fmt.Errorf("give a .zip file or a folder")
	}
}

// resolveBundle is path inside root, or an error when it leaves root or is
// root itself.
func resolveBundle(root, path string) (string, error) {
	if filepath.IsAbs(path) {
		return "", fmt.Errorf("give a path relative to the project folder, not an absolute one")
	}
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("project folder %s: %w", root, err)
	}
	abs := filepath.Join(rootAbs, path)
	// A symbolic link inside the project may lead outside it: compare
	// where both really are.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if real, err := filepath.EvalSymlinks(rootAbs); err == nil {
		rootAbs = real
	}
	rel, err := filepath.Rel(rootAbs, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("is not inside the project folder; give a file or folder within it, e.g. build/api.zip")
	}
	return abs, nil
}

func checkFolder(dir string) error {
	for _, name := range entryFiles {
		b, err := readLimited(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		return checkEntry(name, b)
	}
	return fmt.Errorf("the folder holds no %s at its top level", strings.Join(entryFiles, ", "))
}

func checkZip(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a readable zip archive (%v)", err)
	}
	defer z.Close()
	for _, name := range entryFiles {
		f, err := z.Open(name)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, maxEntryBytes))
		f.Close()
		if err != nil {
			return fmt.Errorf("%s in the archive cannot be read (%v)", name, err)
		}
		return checkEntry(name, b)
	}
	return fmt.Errorf("the archive holds no %s at its top level", strings.Join(entryFiles, ", "))
}

func checkEntry(name string, b []byte) error {
	if !exportsHandler.Match(b) {
		return fmt.Errorf("%s does not export a function named handler, which Lambda calls (index.handler)", name)
	}
	return nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxEntryBytes))
}
