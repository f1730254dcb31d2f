// The activation scripts of a venv, one per shell family. Each sets
// VIRTUAL_ENV and VIRTUAL_ENV_PROMPT, puts the env's bin/ first on PATH,
// sets PYTHONHOME aside, prefixes the prompt unless
// VIRTUAL_ENV_DISABLE_PROMPT is set, and defines `deactivate`, which undoes
// all of it.
#include <fmt/format.h>

#include "omni/python/venv.hpp"
#include "omni/util/process.hpp"

namespace omni::python {

namespace {

// A single-quoted string for fish, csh and PowerShell.
std::string quote_fish(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

std::string quote_ps1(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string activate_sh(const std::filesystem::path& root, const std::string& prompt) {
    return fmt::format(R"(# Source this file from bash or zsh: . bin/activate
deactivate () {{
    if [ "${{_OLD_VIRTUAL_PATH+set}}" = set ]; then
        PATH="$_OLD_VIRTUAL_PATH"; export PATH; unset _OLD_VIRTUAL_PATH
    fi
    if [ "${{_OLD_VIRTUAL_PYTHONHOME+set}}" = set ]; then
        PYTHONHOME="$_OLD_VIRTUAL_PYTHONHOME"; export PYTHONHOME; unset _OLD_VIRTUAL_PYTHONHOME
    fi
    if [ "${{_OLD_VIRTUAL_PS1+set}}" = set ]; then
        PS1="$_OLD_VIRTUAL_PS1"; export PS1; unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    hash -r 2>/dev/null
    if [ "${{1:-}}" != nondestructive ]; then
        unset -f deactivate
    fi
}}

deactivate nondestructive

VIRTUAL_ENV={0}
export VIRTUAL_ENV
_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/bin:$PATH"
export PATH
VIRTUAL_ENV_PROMPT={1}
export VIRTUAL_ENV_PROMPT
if [ "${{PYTHONHOME+set}}" = set ]; then
    _OLD_VIRTUAL_PYTHONHOME="$PYTHONHOME"
    unset PYTHONHOME
fi
if [ -z "${{VIRTUAL_ENV_DISABLE_PROMPT:-}}" ]; then
    _OLD_VIRTUAL_PS1="${{PS1:-}}"
    PS1="($VIRTUAL_ENV_PROMPT) ${{PS1:-}}"
    export PS1
fi
hash -r 2>/dev/null
)",
                       shell_quote(root.string()), shell_quote(prompt));
}

std::string activate_fish(const std::filesystem::path& root, const std::string& prompt) {
    return fmt::format(R"(# Source this file from fish: source bin/activate.fish
function deactivate -d "Leave the virtual environment"
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if functions -q _omni_old_fish_prompt
        functions -e fish_prompt
        functions -c _omni_old_fish_prompt fish_prompt
        functions -e _omni_old_fish_prompt
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

deactivate nondestructive

set -gx VIRTUAL_ENV {0}
set -gx _OLD_VIRTUAL_PATH $PATH
set -gx PATH "$VIRTUAL_ENV/bin" $PATH
set -gx VIRTUAL_ENV_PROMPT {1}
if set -q PYTHONHOME
    set -gx _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end
if not set -q VIRTUAL_ENV_DISABLE_PROMPT; and functions -q fish_prompt
    functions -c fish_prompt _omni_old_fish_prompt
    function fish_prompt
        set -l old_status $status
        printf "(%s) " $VIRTUAL_ENV_PROMPT
        echo "exit $old_status" | .
        _omni_old_fish_prompt
    end
end
)",
                       quote_fish(root.string()), quote_fish(prompt));
}

std::string activate_csh(const std::filesystem::path& root, const std::string& prompt) {
    return fmt::format(
        R"(# Source this file from csh or tcsh: source bin/activate.csh
alias deactivate 'if ($?_OLD_VIRTUAL_PATH) setenv PATH "$_OLD_VIRTUAL_PATH"; unset _OLD_VIRTUAL_PATH; if ($?_OLD_VIRTUAL_PROMPT) set prompt="$_OLD_VIRTUAL_PROMPT"; unset _OLD_VIRTUAL_PROMPT; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; rehash; test "\!:*" != "nondestructive" && unalias deactivate'

deactivate nondestructive

setenv VIRTUAL_ENV {0}
set _OLD_VIRTUAL_PATH="$PATH"
setenv PATH "$VIRTUAL_ENV/bin:$PATH"
setenv VIRTUAL_ENV_PROMPT {1}
if ($?prompt) then
    set _OLD_VIRTUAL_PROMPT="$prompt"
    if (! $?VIRTUAL_ENV_DISABLE_PROMPT) then
        set prompt = "($VIRTUAL_ENV_PROMPT) $prompt"
    endif
endif
rehash
)",
        shell_quote(root.string()), shell_quote(prompt));
}

std::string activate_ps1(const std::filesystem::path& root, const std::string& prompt) {
    return fmt::format(R"(# Dot-source this file from PowerShell: . bin/Activate.ps1
function global:deactivate([switch] $NonDestructive) {{
    if (Test-Path variable:global:_OLD_VIRTUAL_PATH) {{
        $env:PATH = $global:_OLD_VIRTUAL_PATH
        Remove-Variable -Name _OLD_VIRTUAL_PATH -Scope Global
    }}
    if (Test-Path variable:global:_OLD_VIRTUAL_PYTHONHOME) {{
        $env:PYTHONHOME = $global:_OLD_VIRTUAL_PYTHONHOME
        Remove-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope Global
    }}
    if (Test-Path function:_OLD_VIRTUAL_PROMPT) {{
        $function:prompt = $function:_OLD_VIRTUAL_PROMPT
        Remove-Item function:\_OLD_VIRTUAL_PROMPT
    }}
    Remove-Item env:VIRTUAL_ENV -ErrorAction SilentlyContinue
    Remove-Item env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
    if (-not $NonDestructive) {{
        Remove-Item function:deactivate
    }}
}}

deactivate -NonDestructive

$env:VIRTUAL_ENV = {0}
$env:VIRTUAL_ENV_PROMPT = {1}
$global:_OLD_VIRTUAL_PATH = $env:PATH
$env:PATH = (Join-Path $env:VIRTUAL_ENV 'bin') + [System.IO.Path]::PathSeparator + $env:PATH
if (Test-Path env:PYTHONHOME) {{
    $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item env:PYTHONHOME
}}
if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {{
    function global:_OLD_VIRTUAL_PROMPT {{ "" }}
    Copy-Item -Path function:prompt -Destination function:_OLD_VIRTUAL_PROMPT
    function global:prompt {{
        Write-Host -NoNewline "($env:VIRTUAL_ENV_PROMPT) "
        _OLD_VIRTUAL_PROMPT
    }}
}}
)",
                       quote_ps1(root.string()), quote_ps1(prompt));
}

}  // namespace omni::python
