# Writes clipset's man pages from docs/ with pandoc (cmake -P; cmake/install.cmake runs it at
# build time). Arguments: -DPANDOC= -DDOCS=<docs folder> -DOUT=<folder for man1/, man5/>
# -DVERSION=<project version>.
#   clipset-<cmd>(1)     every docs/<cmd>.md whose title is "# clipset <cmd>" (the subcommand pages)
#   clipset-manifest(5)  docs/manifest.md
#   clipset(1)           docs/clipset.md, its "<!-- commands -->" line replaced by one line per
#                        subcommand page (that page's NAME line), and a SEE ALSO naming every page
# A subcommand added later gets its page, its line in clipset(1) and its SEE ALSO entry by having
# docs/<cmd>.md: nothing here lists them.

foreach(arg PANDOC DOCS OUT VERSION)
  if(NOT DEFINED ${arg})
    message(FATAL_ERROR "man_pages.cmake: -D${arg}= is required")
  endif()
endforeach()

# The page's Markdown without its title line, and the title's text.
function(_read_page file out_body out_title)
  file(READ ${file} text)
  string(FIND "${text}" "\n" end)
  string(SUBSTRING "${text}" 0 ${end} title)
  string(SUBSTRING "${text}" ${end} -1 body)
  string(REGEX REPLACE "^# *" "" title "${title}")
  set(${out_body} "${body}" PARENT_SCOPE)
  set(${out_title} "${title}" PARENT_SCOPE)
endfunction()

# "clipset split — assign ..." under "## NAME" becomes "clipset-split - assign ...": the
# "name - description" form man's index (mandb, apropos) reads.
# out_body gets the page with its NAME line so rewritten, out_summary the part after the dash.
function(_name_line body name out_body out_summary)
  string(REGEX MATCH "## NAME\n[^\n]*" line "${body}")
  string(REGEX REPLACE "^## NAME\n[^—]*— *" "" summary "${line}")
  string(REGEX REPLACE "## NAME\n[^\n]*" "## NAME\n${name} - ${summary}" body "${body}")
  set(${out_body} "${body}" PARENT_SCOPE)
  set(${out_summary} "${summary}" PARENT_SCOPE)
endfunction()

# No hyphenation: it would split names such as clipset-segment(1) at a line's end.
function(_convert markdown name section)
  set(source ${OUT}/md/${name}.md)
  file(WRITE ${source} "```{=man}\n.nh\n```\n${markdown}")
  string(TOUPPER ${name} title)
  file(MAKE_DIRECTORY ${OUT}/man${section})
  execute_process(
    COMMAND ${PANDOC} --standalone --from=markdown --to=man --shift-heading-level-by=-1
            -M title=${title} -M section=${section} -M "header=clipset manual" -M "footer=clipset ${VERSION}"
            -M date= -o ${OUT}/man${section}/${name}.${section} ${source}
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pandoc failed on ${name} (${source}): ${errors}")
  endif()
endfunction()

file(REMOVE_RECURSE ${OUT}/man1 ${OUT}/man5 ${OUT}/md)
file(GLOB pages ${DOCS}/*.md)
list(SORT pages)
set(command_lines "")
set(see_also "")
foreach(page IN LISTS pages)
  _read_page(${page} body title)
  if(NOT title MATCHES "^clipset ([a-z][a-z0-9-]*)$")
    continue()
  endif()
  set(command ${CMAKE_MATCH_1})
  set(name clipset-${command})
  _name_line("${body}" ${name} body summary)
  if(summary STREQUAL "")
    message(FATAL_ERROR "${page}: no \"## NAME\" line of the form \"clipset ${command} — what it does\"")
  endif()
  _convert("${body}" ${name} 1)
  string(APPEND command_lines "**clipset ${command}**\n:   ${summary}; **${name}**(1).\n\n")
  list(APPEND see_also "**${name}**(1)")
endforeach()

_read_page(${DOCS}/manifest.md body title)
set(name_line "clipset-manifest - the JSON Lines manifest every clipset subcommand reads and writes")
_convert("## NAME\n${name_line}\n\n## DESCRIPTION\n${body}" clipset-manifest 5)
list(APPEND see_also "**clipset-manifest**(5)")

_read_page(${DOCS}/clipset.md body title)
_name_line("${body}" clipset body summary)
string(REPLACE "<!-- commands -->" "${command_lines}" body "${body}")
# One page a line: troff may break a line after the hyphen of "clipset-segment(1)", and a name cut
# in two is no name to type.
list(JOIN see_also ",\\\n" see_also)
_convert("${body}\n## SEE ALSO\n${see_also}\n" clipset 1)
