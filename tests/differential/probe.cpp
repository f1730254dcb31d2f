// omni_standards_probe: answers questions about packaging standards, one per
// line on stdin, fields separated by \\x1f (unit separator), one answer line per question.
// The differential test asks the same questions of the `packaging` library.
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe_commands.hpp"

int main() {
    std::ios::sync_with_stdio(false);
    std::string line;
    std::string out;
    while (std::getline(std::cin, line)) {
        std::vector<std::string_view> fields;
        std::string_view rest = line;
        while (true) {
            const auto tab = rest.find('\x1f');
            fields.push_back(rest.substr(0, tab));
            if (tab == std::string_view::npos)
                break;
            rest.remove_prefix(tab + 1);
        }
        out.clear();
        omni::probe::answer(fields, out);
        out.push_back('\n');
        std::cout << out;
    }
    std::cout.flush();
    return 0;
}
