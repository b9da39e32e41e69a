# Script mode (cmake -DSOURCE_DIR=... -DTEMPLATE=... -DOUTPUT=... -P git_commit.cmake): writes
# OUTPUT from TEMPLATE with the source tree's commit. configure_file rewrites OUTPUT only when
# its text changes, so an unchanged commit recompiles nothing.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE TMORDER_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR TMORDER_GIT_COMMIT STREQUAL "")
  set(TMORDER_GIT_COMMIT "unknown")
else()
  # Tracked files edited since the commit: the binary is not that commit.
  execute_process(COMMAND git status --porcelain --untracked-files=no
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE _changes ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND NOT _changes STREQUAL "")
    string(APPEND TMORDER_GIT_COMMIT "-dirty")
  endif()
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
