package api

import (
	"embed"
	"fmt"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// handlers holds edstack's default function code, one folder per function,
// without its tests.
//
//go:embed handlers/api/index.mjs handlers/worker/index.mjs
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
	return pulumi.NewFileArchive(filepath.Join(root, bundle)), nil // root "." keeps the path as given
}
