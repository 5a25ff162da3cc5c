package engine

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
)

// Secret is how a secret value reads in plain output.
const Secret = "[secret]"

// Unknown is how a value that is not known until deployment reads.
const Unknown = "[unknown]"

// Plain turns a property map into plain JSON-able values: secrets become
// Secret, unknowns Unknown, resource references their URN, assets and
// archives a short description of where their content comes from.
func Plain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = PlainValue(v)
	}
	return out
}

// PlainValue is Plain for one value.
func PlainValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return Unknown
		}
		return PlainValue(o.Element)
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = PlainValue(e)
		}
		return out
	case v.IsObject():
		return Plain(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{"asset": describe(a.Path, a.URI, a.Hash, a.Text != "")}
	case v.IsArchive():
		a := v.ArchiveValue()
		if a.Assets != nil {
			return map[string]any{"archive": map[string]any{"files": archiveFiles(a.Assets)}}
		}
		return map[string]any{"archive": describe(a.Path, a.URI, a.Hash, false)}
	}
	return v.Mappable()
}

// archiveFiles names each file of an in-memory archive with a digest of
// its content, so that a plan shows when a function's code changes.
func archiveFiles(assets map[string]any) map[string]any {
	out := make(map[string]any, len(assets))
	for name, v := range assets {
		switch a := v.(type) {
		case *asset.Asset:
			if a.Text != "" {
				sum := sha256.Sum256([]byte(a.Text))
				out[name] = "sha256:" + hex.EncodeToString(sum[:])
				continue
			}
			out[name] = describe(a.Path, a.URI, a.Hash, false)
		default:
			out[name] = "(nested archive)"
		}
	}
	return out
}

func describe(path, uri, hash string, inline bool) map[string]any {
	d := map[string]any{}
	switch {
	case path != "":
		d["path"] = path
	case uri != "":
		d["uri"] = uri
	case inline:
		d["text"] = "(inline)"
	}
	if hash != "" {
		d["hash"] = hash
	}
	return d
}
