import { useQueryClient } from '@tanstack/react-query';
import { FileSpreadsheet, FileText, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { IconButton } from '../../../components/ui/Button.tsx';
import { Card, EmptyState, PageHeader } from '../../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { DocumentRecord } from '../../../lib/api-types.ts';
import { formatBytes, formatDate } from '../../../lib/format.ts';
import { deleteDocument, documentsKey, uploadDocument, useDocuments } from '../api/documents.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { type UploadItem, UploadList } from './UploadList.tsx';
import { UploadZone } from './UploadZone.tsx';

let uploadCounter = 0;

export function DocumentsPage() {
  const queryClient = useQueryClient();
  const documents = useDocuments();
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [toDelete, setToDelete] = useState<DocumentRecord | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [tooMany, setTooMany] = useState<number>(0);

  const patch = (uid: string, change: Partial<UploadItem>) =>
    setUploads((all) => all.map((u) => (u.uid === uid ? { ...u, ...change } : u)));

  const onFiles = (files: File[]) => {
    setTooMany(Math.max(0, files.length - 10));
    const items = files.slice(0, 10).map((f) => ({
      file: f,
      item: { uid: `u${++uploadCounter}`, name: f.name, size: f.size, progress: 0, phase: 'uploading' as const },
    }));
    setUploads((all) => [...items.map((i) => i.item), ...all]);
    for (const { file, item } of items) {
      uploadDocument(file, (p) => patch(item.uid, { progress: p }))
        .then((doc) => {
          patch(item.uid, { phase: 'uploaded', progress: 1, documentId: doc.id });
          return queryClient.invalidateQueries({ queryKey: documentsKey });
        })
        .catch((err: unknown) => patch(item.uid, { phase: 'error', error: errorMessage(err) }));
    }
  };

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteDocument(toDelete.id);
      setUploads((all) => all.filter((u) => u.documentId !== toDelete.id));
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: documentsKey });
      queryClient.removeQueries({ queryKey: ['metrics'] });
      queryClient.removeQueries({ queryKey: ['graph'] });
    } catch (err) {
      setDeleteError(errorMessage(err));
    } finally {
      setDeleting(false);
    }
  };

  const list = documents.data?.documents ?? [];

  // A document that finished processing changes the metrics and the graph: drop those caches so the
  // chat's suggestions and the graph view load fresh instead of showing what was there before.
  const readyIds = list
    .filter((d) => d.status === 'ready')
    .map((d) => d.id)
    .join(',');
  const lastReady = useRef(readyIds);
  useEffect(() => {
    if (readyIds === lastReady.current) return;
    lastReady.current = readyIds;
    queryClient.removeQueries({ queryKey: ['metrics'] });
    queryClient.removeQueries({ queryKey: ['graph'] });
  }, [readyIds, queryClient]);

  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:px-8">
      <PageHeader
        title="Documents"
        description="Metrics exports, board updates and P&L files the analyst reads. Only your team can see them."
      />
      <UploadZone onFiles={onFiles} />
      {tooMany > 0 ? (
        <p className="mt-2 text-sm text-amber-700 dark:text-amber-400" role="status">
          Up to 10 files at once: the first 10 are uploading; add the other {tooMany} afterwards.
        </p>
      ) : null}
      <UploadList
        items={uploads}
        documents={list}
        onDismiss={(uid) => setUploads((all) => all.filter((u) => u.uid !== uid))}
      />

      <Card className="mt-8 overflow-hidden">
        {documents.isPending ? (
          <LoadingBlock />
        ) : documents.isError ? (
          <div className="p-4">
            <ErrorNote>{errorMessage(documents.error)}</ErrorNote>
          </div>
        ) : list.length === 0 ? (
          <EmptyState icon={<FileText className="size-6" aria-hidden />} title="No documents yet">
            Upload your first file above. A CSV export of monthly MRR, customers and churn is a great start.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">Your documents</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-600 dark:text-zinc-400 uppercase dark:border-zinc-800 dark:bg-zinc-900/60">
                <tr>
                  <th scope="col" className="px-4 py-2.5">
                    Name
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 sm:table-cell">
                    Type
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 text-right sm:table-cell">
                    Size
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 md:table-cell">
                    Uploaded
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Status
                  </th>
                  <th scope="col" className="hidden px-3 py-2.5 text-right md:table-cell">
                    Metrics
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {list.map((d) => (
                  <tr key={d.id} className="hover:bg-zinc-50/70 dark:hover:bg-zinc-800/40" data-testid="document-row">
                    <td className="max-w-[14rem] px-4 py-3 sm:max-w-xs">
                      <Link
                        to={`/documents/${encodeURIComponent(d.id)}`}
                        className="flex items-center gap-2 font-medium hover:text-accent-600 dark:hover:text-accent-400"
                      >
                        {['csv', 'tsv', 'xlsx'].includes(d.format) ? (
                          <FileSpreadsheet className="size-4 shrink-0 text-emerald-600" aria-hidden />
                        ) : (
                          <FileText className="size-4 shrink-0 text-zinc-600 dark:text-zinc-400" aria-hidden />
                        )}
                        <span className="truncate">{d.name}</span>
                      </Link>
                      {d.warning ? (
                        <p className="mt-0.5 truncate pl-6 text-xs text-amber-700 dark:text-amber-400">{d.warning}</p>
                      ) : null}
                      {d.status === 'failed' && d.error ? (
                        <p className="mt-0.5 truncate pl-6 text-xs text-red-600 dark:text-red-400">{d.error.message}</p>
                      ) : null}
                    </td>
                    <td className="hidden px-3 py-3 sm:table-cell text-xs font-medium text-zinc-600 dark:text-zinc-400 uppercase">
                      {d.format}
                    </td>
                    <td className="hidden px-3 py-3 sm:table-cell text-right whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400">
                      {formatBytes(d.size)}
                    </td>
                    <td className="hidden px-3 py-3 md:table-cell whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                      {formatDate(d.uploaded_at)}
                    </td>
                    <td className="px-3 py-3">
                      <StatusBadge status={d.status} reason={d.error?.message} />
                    </td>
                    <td className="hidden px-3 py-3 md:table-cell text-right text-zinc-600 tabular-nums dark:text-zinc-400">
                      {d.metrics.length}
                    </td>
                    <td className="px-3 py-3 text-right">
                      <IconButton
                        label={`Delete ${d.name}`}
                        onClick={() => setToDelete(d)}
                        className="hover:text-red-600"
                      >
                        <Trash2 className="size-4" aria-hidden />
                      </IconButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this document?"
        confirmLabel={deleting ? 'Deleting…' : 'Delete document'}
        danger
        busy={deleting}
        onConfirm={confirmDelete}
        onCancel={() => {
          setToDelete(null);
          setDeleteError(null);
        }}
      >
        <p>
          <strong className="font-medium break-all">{toDelete?.name}</strong> and the metrics found in it will be
          removed. Past answers keep their text.
        </p>
        {deleteError ? (
          <div className="mt-3">
            <ErrorNote>{deleteError}</ErrorNote>
          </div>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
