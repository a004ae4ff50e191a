import { useQuery } from '@tanstack/react-query';
import { apiUrl } from '../../../lib/api-base.ts';
import { ApiError, api, authHeaders, handleUnauthorized, parseErrorBody } from '../../../lib/api-client.ts';
import type { DocumentDetail, DocumentRecord } from '../../../lib/api-types.ts';

export const documentsKey = ['documents'] as const;

/** The list; polls every 1.5 s while any document is still processing. */
export function useDocuments() {
  return useQuery({
    queryKey: documentsKey,
    queryFn: ({ signal }) => api<{ documents: DocumentRecord[] }>('/api/documents', { signal }),
    refetchInterval: (query) => (query.state.data?.documents.some((d) => d.status === 'processing') ? 1500 : false),
  });
}

export function useDocument(id: string | undefined) {
  return useQuery({
    queryKey: ['documents', id],
    queryFn: ({ signal }) => api<DocumentDetail>(`/api/documents/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.document.status === 'processing' ? 1500 : false),
  });
}

export function deleteDocument(id: string) {
  return api<{ deleted: true; id: string }>(`/api/documents/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/**
 * Uploads one file with XMLHttpRequest, because fetch cannot report upload progress.
 * Resolves with the created (or already existing) document record.
 */
export function uploadDocument(file: File, onProgress: (fraction: number) => void): Promise<DocumentRecord> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/documents'));
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted. Try again.'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const body = JSON.parse(xhr.responseText) as { documents?: DocumentRecord[] };
          const doc = body.documents?.[0];
          if (doc) return resolve(doc);
        } catch {
          // fall through
        }
        return reject(new ApiError(xhr.status, 'bad_response', 'The server answered in an unexpected way.'));
      }
      const error = parseErrorBody(xhr.status, xhr.responseText);
      if (xhr.status === 401) handleUnauthorized(error);
      reject(error);
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
