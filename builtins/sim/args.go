package sim

import "strings"

// Getopt splits a command's arguments (argv[1:]) the way getopt_long does,
// so a fake reads an option-shaped operand as the real tool would: as an
// option. "--" ends the options; "-Xvalue", "-X value", "--name=value" and
// "--name value" give a value to the options listed in valued; other short
// options may be clustered ("-fy"); operands and options may mix, as GNU
// getopt permutes them. An option given twice keeps its last value.
func Getopt(args []string, valued ...string) (opts map[string]string, operands []string) {
	takes := map[string]bool{}
	for _, v := range valued {
		takes[v] = true
	}
	opts = map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return opts, append(operands, args[i+1:]...)
		case strings.HasPrefix(a, "--"):
			name, value, hasValue := strings.Cut(a, "=")
			if !hasValue && takes[name] && i+1 < len(args) {
				value, i = args[i+1], i+1
			}
			opts[name] = value
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j := 1; j < len(a); j++ {
				name := "-" + a[j:j+1]
				if !takes[name] {
					opts[name] = ""
					continue
				}
				value := a[j+1:]
				if value == "" && i+1 < len(args) {
					value, i = args[i+1], i+1
				}
				opts[name] = value
				break
			}
		default:
			operands = append(operands, a)
		}
	}
	return opts, operands
}
