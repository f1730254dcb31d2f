#include "cli/app.hpp"

int main(int argc, char** argv) {
    return omni::cli::run(argc, argv);
}
