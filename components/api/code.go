package api

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// handlers holds edstack's default function code, one folder per function,
// without its tests.
//
//go:embed handlers/api/index.mjs handlers/worker/index.mjs handlers/origin/index.mjs
var handlers embed.FS

// DefaultHandler returns the source of a default handler ("api" or "worker").
func DefaultHandler(function string) (string, error) {
	b, err := handlers.ReadFile("handlers/" + function + "/index.mjs")
	if err != nil {
		return "", fmt.Errorf("api: no default handler %q: %w", function, err)
	}
	return string(b), nil
}

// Code is a function's deployment package: a team's bundle (a .zip file or
// a folder, relative to root, the project folder) when one is given, else
// edstack's default handler.
func Code(root, function, bundle string) (pulumi.Archive, error) {
	if bundle == "" {
		src, err := DefaultHandler(function)
		if err != nil {
			return nil, err
		}
		return pulumi.NewAssetArchive(map[string]any{"index.mjs": pulumi.NewStringAsset(src)}), nil
	}
	if err := CheckBundle(root, bundle); err != nil {
		return nil, fmt.Errorf("api: %s bundle %s: %w", function, bundle, err)
	}
	return pulumi.NewFileArchive(archivePath(root, bundle)), nil
}

// archivePath is where the engine reads a bundle from: relative to the
// working directory when the bundle lies under it (under `pulumi up`, the
// project folder), so that the state does not record one machine's
// absolute path.
func archivePath(root, bundle string) string {
	path := filepath.Join(root, bundle)
	if !filepath.IsAbs(path) {
		return path
	}
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return path
}
