package lockfile

import "fmt"

func parsePoetry(path string, data []byte) (*Lock, error) {
	return nil, fmt.Errorf("%s: poetry.lock: %w", path, ErrFormat)
}
func parsePipfile(path string, data []byte) (*Lock, error) {
	return nil, fmt.Errorf("%s: Pipfile.lock: %w", path, ErrFormat)
}
func parsePylock(path string, data []byte) (*Lock, error) {
	return nil, fmt.Errorf("%s: pylock.toml: %w", path, ErrFormat)
}
func parsePDM(path string, data []byte) (*Lock, error) {
	return nil, fmt.Errorf("%s: pdm.lock: %w", path, ErrFormat)
}
