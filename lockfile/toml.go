package lockfile

import (
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2"
)

// decodeTOML unmarshals data into v, turning go-toml's errors into
// ErrSyntax with the line and column.
func decodeTOML(path string, data []byte, v any) error {
	err := toml.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Errorf("%s:%d:%d: %s: %w", path, row, col, de.Error(), ErrSyntax)
	}
	var se *toml.StrictMissingError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %s: %w", path, se.Error(), ErrSyntax)
	}
	return fmt.Errorf("%s: %v: %w", path, err, ErrSyntax)
}
